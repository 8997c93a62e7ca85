import type { Command } from 'commander';
import { withEngine } from '../global-options';

export function registerProbeCommand(program: Command): void {
  program
    .command('probe')
    .description('print duration, sample rate, channels and codec of a media file as JSON')
    .argument('<file>', 'media file')
    .action(async (file: string, _options: unknown, command: Command) => {
      const probe = await withEngine(command, (engine, signal) =>
        engine.media.probe(file, { signal }),
      );
      const summary = {
        path: probe.path,
        durationSec: probe.durationSec,
        sampleRate: probe.audio.sampleRate,
        channels: probe.audio.channels,
        codec: probe.audio.codec,
        container: probe.container,
        sizeBytes: probe.sizeBytes,
        audioStreams: probe.audioStreamCount,
        video: probe.video,
      };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });
}
