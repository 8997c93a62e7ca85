import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { captionPresetList, type CaptionPresetInfo } from '../../../contract/captions';
import type { CaptionRules } from '../../../contract/document';
import { broadcastRules, socialRules } from '../../../engine/captions/presets';

/** The rules in words, so the description can never disagree with them. */
function describeRules(rules: CaptionRules, fps: number): string {
  const lines = rules.maxLines === 1 ? '1 line' : `${rules.maxLines} lines`;
  const seconds = (ms: number) => `${ms / 1000}`;
  return (
    `${lines} of up to ${rules.maxCharsPerLine} characters, at most ${rules.maxCharsPerSecond} ` +
    `characters per second, ${seconds(rules.minDurationMs)}–${seconds(rules.maxDurationMs)} s on ` +
    `screen, at least ${rules.minGapMs} ms apart (2 frames at ${fps} fps).`
  );
}

const preset = (
  id: CaptionPresetInfo['id'],
  name: string,
  purpose: string,
  fps: number,
  rules: CaptionRules,
): CaptionPresetInfo => ({
  id,
  name,
  description: `${purpose}: ${describeRules(rules, fps)}`,
  fps,
  rules,
});

/** The presets as the UI lists them; the rules come from the engine's presets module. */
const presets: CaptionPresetInfo[] = [
  preset('broadcast', 'Broadcast', 'TV and streaming (EBU/BBC style)', 25, broadcastRules()),
  preset('social', 'Social', 'Short vertical video, often watched muted', 30, socialRules()),
];

export const captionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/caption-presets',
    {
      schema: {
        summary: 'List the caption presets and their rules',
        description:
          'Use a preset’s `id` as `preset` when transcribing or exporting; `custom` (not listed) takes rules of your own.',
        response: { 200: captionPresetList },
      },
    },
    () => ({ presets }),
  );
};
