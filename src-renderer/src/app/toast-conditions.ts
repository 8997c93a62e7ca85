/**
 * Error toasts about a condition the studio can watch: each code here names a condition, its
 * toast is keyed by the code, and `ToastConditions` dismisses it once the condition no longer
 * holds (a model was installed meanwhile, here or from another window or a script).
 */

/** The error codes whose toasts go by themselves once their condition clears. */
const conditionCodes = ['MODEL_NOT_READY'] as const;
export type ConditionCode = (typeof conditionCodes)[number];

/** The condition an error code stands for, if the studio watches it. */
export const conditionOf = (code: string): ConditionCode | undefined =>
  conditionCodes.find((c) => c === code);

/**
 * Whether a transcription would still find no Whisper model: the default model when the settings
 * name one, else any ready Whisper model (the rule of `defaultWhisperModel` in the engine).
 */
export function noWhisperModelHolds(
  models: readonly { id: string; kind: string; status: string }[],
  defaultModel: string | null,
): boolean {
  const ready = (m: { kind: string; status: string }) =>
    m.kind === 'whisper' && m.status === 'ready';
  return defaultModel === null
    ? !models.some(ready)
    : !models.some((m) => m.id === defaultModel && ready(m));
}
