import { z } from 'zod';
import { captionRules } from './document';

/** The named caption presets: each stands for fixed rules (`custom` brings its own). */
export const namedCaptionPreset = z.enum(['broadcast', 'social']);
export type NamedCaptionPreset = z.infer<typeof namedCaptionPreset>;

export const captionPresetInfo = z.object({
  id: namedCaptionPreset,
  name: z.string(),
  description: z.string(),
  /** Frame rate the frame-counted gap was converted at. */
  fps: z.number().positive(),
  rules: captionRules,
});
export type CaptionPresetInfo = z.infer<typeof captionPresetInfo>;

/** `GET /v1/caption-presets`. */
export const captionPresetList = z.object({ presets: z.array(captionPresetInfo) });
export type CaptionPresetList = z.infer<typeof captionPresetList>;
