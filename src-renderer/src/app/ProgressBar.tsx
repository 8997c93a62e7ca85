export interface ProgressBarProps {
  /** 0..100; null when the amount is unknown (the bar then slides). */
  value: number | null;
  /** What is progressing, e.g. "Transcribing interview.wav" (or give `labelledBy`). */
  label?: string;
  /** Id of the element that names what is progressing. */
  labelledBy?: string;
  /** Spoken and shown instead of the percentage, e.g. "12 MB of 78 MB". */
  valueText?: string;
}

/** A slim progress bar with the ARIA a screen reader needs (role, value, label). */
export function ProgressBar({ value, label, labelledBy, valueText }: ProgressBarProps) {
  const percent = value === null ? null : Math.max(0, Math.min(100, Math.round(value)));
  const state = percent === null ? 'indeterminate' : percent >= 100 ? 'done' : '';
  return (
    <div
      className={`progress ${state}`}
      role="progressbar"
      aria-label={label}
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={valueText ?? (percent === null ? undefined : `${percent}%`)}
    >
      <div
        className="progress-fill"
        style={percent === null ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}
