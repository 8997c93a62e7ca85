/**
 * Locates the ffmpeg and ffprobe binaries and checks that they actually run, so every later media
 * failure can be blamed on the media rather than on a missing or broken install.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../errors';
import {
  describeFailure,
  runProcess,
  type FailureReport,
  type ProcessFailure,
} from '../process/run-process';

export interface FfmpegToolsSettings {
  /** Explicit path to the ffmpeg binary (the app's "ffmpeg path" setting). Used alone when set. */
  ffmpegPath?: string;
  /** Explicit path to the ffprobe binary. Used alone when set. */
  ffprobePath?: string;
}

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

type Tool = keyof FfmpegTools;

/** One place a tool was looked for, and why it was not usable there. */
interface Attempt {
  source: string;
  path: string | null;
  problem: string;
}

const VERSION_TIMEOUT_MS = 5_000;
/** `-version` prints a few KB; anything much longer is not ffmpeg. */
const VERSION_MAX_BYTES = 1024 * 1024;

/** What to tell a user who has no working ffmpeg. */
export const FFMPEG_INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: `apt install ffmpeg`, macOS: `brew install ffmpeg`, Windows: `winget install ffmpeg`) or set FFMPEG_PATH/FFPROBE_PATH or the ffmpeg path setting.';

/**
 * FFMPEG_NOT_FOUND naming the binary, when `failure` is one that could not be started; null for
 * any other failure (the caller says what that one means).
 */
export function notStarted(
  tool: 'ffmpeg' | 'ffprobe',
  path: string,
  failure: ProcessFailure,
): FailureReport | null {
  if (failure.reason !== 'start') return null;
  return {
    code: 'FFMPEG_NOT_FOUND',
    message: `${tool} at ${path} could not be started. ${FFMPEG_INSTALL_HINT}`,
    details: { [tool]: path },
  };
}

const cache = new Map<string, Promise<FfmpegTools>>();

/**
 * Finds ffmpeg and ffprobe: the explicit setting if given, else FFMPEG_PATH/FFPROBE_PATH if set,
 * else PATH. A candidate counts only if it runs `-version` and identifies itself as that tool. Results are
 * cached per distinct input; failures are not cached, so installing ffmpeg later just works.
 */
export function resolveFfmpegTools(
  settings: FfmpegToolsSettings = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<FfmpegTools> {
  const key = JSON.stringify([
    settings.ffmpegPath,
    settings.ffprobePath,
    env.FFMPEG_PATH,
    env.FFPROBE_PATH,
    pathVariable(env),
    env.PATHEXT,
  ]);
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = resolveBoth(settings, env);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function resolveBoth(
  settings: FfmpegToolsSettings,
  env: NodeJS.ProcessEnv,
): Promise<FfmpegTools> {
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveTool('ffmpeg', settings.ffmpegPath, env.FFMPEG_PATH, env),
    resolveTool('ffprobe', settings.ffprobePath, env.FFPROBE_PATH, env),
  ]);
  if (typeof ffmpeg === 'string' && typeof ffprobe === 'string') return { ffmpeg, ffprobe };

  const failed = [
    ['ffmpeg', ffmpeg],
    ['ffprobe', ffprobe],
  ].filter((entry): entry is [Tool, Attempt[]] => Array.isArray(entry[1]));
  const missing = failed.map(([tool]) => tool);
  const lookedAt = failed.map(
    ([tool, attempts]) => `Looked for ${tool} at: ${describeAttempts(attempts)}.`,
  );
  throw new EngineError(
    'FFMPEG_NOT_FOUND',
    `${missing.join(' and ')} could not be found or ${missing.length > 1 ? 'do' : 'does'} not run. ${lookedAt.join(' ')} ${FFMPEG_INSTALL_HINT}`,
    { details: { missing, searched: Object.fromEntries(failed) } },
  );
}

/** The working binary's path, or every attempt that failed. */
async function resolveTool(
  tool: Tool,
  setting: string | undefined,
  envValue: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string | Attempt[]> {
  const attempts: Attempt[] = [];
  const tryPath = async (source: string, candidate: string): Promise<string | undefined> => {
    const resolved = path.resolve(candidate);
    const problem = await checkBinary(tool, resolved);
    if (problem === undefined) return resolved;
    attempts.push({ source, path: resolved, problem });
    return undefined;
  };

  // An explicit choice that does not work is reported, never silently replaced by another binary.
  if (setting) {
    return (await tryPath(`the ${tool} path setting (fix or clear it)`, setting)) ?? attempts;
  }
  const envName = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  if (envValue) {
    return (await tryPath(`${envName} (fix or unset it)`, envValue)) ?? attempts;
  } else {
    attempts.push({ source: envName, path: null, problem: 'not set' });
  }

  const dirs = (pathVariable(env) ?? '').split(path.delimiter).filter((d) => d !== '');
  let foundOnPath = false;
  for (const dir of dirs) {
    for (const name of executableNames(tool, env)) {
      const candidate = path.join(dir, name);
      if (!(await isExecutableFile(candidate))) continue;
      foundOnPath = true;
      const found = await tryPath('PATH', candidate);
      if (found) return found;
    }
  }
  if (!foundOnPath) {
    attempts.push({
      source: 'PATH',
      path: null,
      problem: dirs.length === 0 ? 'empty' : `not in any of its ${dirs.length} folders`,
    });
  }
  return attempts;
}

/** Why `file` is not a working `tool`, or undefined when it is. */
export async function checkBinary(tool: Tool, file: string): Promise<string | undefined> {
  if (!(await isExecutableFile(file))) return 'not found or not executable';
  let output: string;
  try {
    const { stdout } = await runProcess(file, ['-version'], {
      timeoutMs: VERSION_TIMEOUT_MS,
      maxStdoutBytes: VERSION_MAX_BYTES,
      // The check reports a problem, not an error: the message is the problem's text.
      fail: (failure) => ({
        code: 'FFMPEG_NOT_FOUND',
        message: describeFailure(failure, VERSION_TIMEOUT_MS),
      }),
    });
    output = stdout.toString('utf8');
  } catch (error) {
    return `does not run: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  }
  if (!output.startsWith(`${tool} version`)) return `is not ${tool}`;
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    // On Windows X_OK is treated as F_OK; the PATHEXT filter does the work there.
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Windows spells the variable `Path` and needs an extension; elsewhere the bare name is right. */
function pathVariable(env: NodeJS.ProcessEnv): string | undefined {
  return process.platform === 'win32' ? (env.PATH ?? env.Path) : env.PATH;
}

function executableNames(tool: Tool, env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== 'win32') return [tool];
  const exts = (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e !== '');
  return exts.map((ext) => tool + ext.toLowerCase());
}

function describeAttempts(attempts: Attempt[]): string {
  return attempts
    .map((a) => `${a.source}${a.path === null ? '' : ` ${a.path}`} (${a.problem})`)
    .join(', ');
}
