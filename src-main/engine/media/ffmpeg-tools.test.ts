import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './__fixtures__/media-fixtures';
import { resolveFfmpegTools, type FfmpegTools } from './ffmpeg-tools';
import { engineRejection } from '../test-support/engine-rejection';

describe.skipIf(process.platform === 'win32')('resolveFfmpegTools', () => {
  let real: FfmpegTools;
  let realDir: string;
  let dir: string;
  let remove: () => Promise<void>;

  /** A folder holding symlinks named ffmpeg/ffprobe to the real binaries. */
  async function linkedTools(name: string): Promise<FfmpegTools> {
    const folder = path.join(dir, name);
    await mkdir(folder);
    await symlink(real.ffmpeg, path.join(folder, 'ffmpeg'));
    await symlink(real.ffprobe, path.join(folder, 'ffprobe'));
    return { ffmpeg: path.join(folder, 'ffmpeg'), ffprobe: path.join(folder, 'ffprobe') };
  }

  beforeAll(async () => {
    real = await resolveFfmpegTools();
    realDir = path.dirname(real.ffmpeg);
    ({ dir, remove } = await tempDir());
  });
  afterAll(() => remove());

  it('finds both tools on PATH, skipping folders that lack them', async () => {
    const env = { PATH: [path.join(dir, 'missing'), realDir].join(path.delimiter) };
    const tools = await resolveFfmpegTools({}, env);
    expect(tools.ffmpeg).toBe(path.join(realDir, 'ffmpeg'));
    expect(path.basename(tools.ffprobe)).toBe('ffprobe');
  });

  it('prefers the setting over FFMPEG_PATH/FFPROBE_PATH, and those over PATH', async () => {
    const fromSetting = await linkedTools('setting');
    const fromEnv = await linkedTools('env');
    const env = { PATH: realDir, FFMPEG_PATH: fromEnv.ffmpeg, FFPROBE_PATH: fromEnv.ffprobe };

    expect(
      await resolveFfmpegTools(
        { ffmpegPath: fromSetting.ffmpeg, ffprobePath: fromSetting.ffprobe },
        env,
      ),
    ).toEqual(fromSetting);
    expect(await resolveFfmpegTools({}, env)).toEqual(fromEnv);
  });

  it('reports a setting or FFMPEG_PATH that points nowhere instead of silently using PATH', async () => {
    const fromSetting = await engineRejection(
      resolveFfmpegTools({ ffmpegPath: '/nonexistent/ffmpeg' }, { PATH: realDir }),
    );
    expect(fromSetting.code).toBe('FFMPEG_NOT_FOUND');
    expect(fromSetting.message).toMatch(/^ffmpeg could not be found/);
    expect(fromSetting.message).toContain(
      'the ffmpeg path setting (fix or clear it) /nonexistent/ffmpeg',
    );
    const fromEnv = await engineRejection(
      resolveFfmpegTools({}, { PATH: realDir, FFPROBE_PATH: '/nonexistent/ffprobe' }),
    );
    expect(fromEnv.message).toMatch(/^ffprobe could not be found/);
    expect(fromEnv.message).toContain('FFPROBE_PATH (fix or unset it) /nonexistent/ffprobe');
  });

  it('reports FFMPEG_NOT_FOUND naming the tools, the places searched and the fix', async () => {
    const error = await engineRejection(
      resolveFfmpegTools({ ffmpegPath: '/nonexistent/ffmpeg' }, { PATH: '' }),
    );
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toMatch(/^ffmpeg and ffprobe could not be found/);
    expect(error.message).toContain('/nonexistent/ffmpeg');
    expect(error.message).toContain('FFPROBE_PATH (not set)');
    expect(error.message).toContain('PATH (empty)');
    expect(error.message).toContain('apt install ffmpeg');
    expect(error.message).toContain('brew install ffmpeg');
    expect(error.details?.missing).toEqual(['ffmpeg', 'ffprobe']);
  });

  it('names only the tool that is missing', async () => {
    const error = await engineRejection(
      resolveFfmpegTools({ ffmpegPath: real.ffmpeg }, { PATH: '' }),
    );
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toMatch(/^ffprobe could not be found or does not run/);
    expect(error.details?.missing).toEqual(['ffprobe']);
  });

  it('rejects files that exist but are not a runnable ffmpeg', async () => {
    const impostor = path.join(dir, 'impostor');
    await writeFile(impostor, '#!/bin/sh\necho "not a video tool"\n');
    await chmod(impostor, 0o755);
    const notExecutable = path.join(dir, 'plain');
    await writeFile(notExecutable, 'just text');

    const error = await engineRejection(
      resolveFfmpegTools(
        { ffmpegPath: impostor, ffprobePath: notExecutable },
        { PATH: '', FFMPEG_PATH: '', FFPROBE_PATH: '' },
      ),
    );
    expect(error.message).toContain(`${impostor} (is not ffmpeg)`);
    expect(error.message).toContain(`${notExecutable} (not found or not executable)`);
  });

  it('caches each distinct input but not failures', async () => {
    const env = { PATH: realDir };
    expect(resolveFfmpegTools({}, env)).toBe(resolveFfmpegTools({}, env));

    const late = path.join(dir, 'late');
    const settings = {
      ffmpegPath: path.join(late, 'ffmpeg'),
      ffprobePath: path.join(late, 'ffprobe'),
    };
    await engineRejection(resolveFfmpegTools(settings, { PATH: '' }));
    await linkedTools('late');
    expect(await resolveFfmpegTools(settings, { PATH: '' })).toEqual({
      ffmpeg: settings.ffmpegPath,
      ffprobe: settings.ffprobePath,
    });
  });
});
