import { describeLevel, meterPercent } from './level';
import { useLive } from './live-store';

/** The microphone's level: a bar for the RMS with a peak mark, its value in dB beside it. */
export function LevelMeter() {
  const level = useLive((s) => s.level);
  const percent = meterPercent(level.rms);
  const text = describeLevel(level);
  return (
    <div className="level">
      <div
        className="level-meter"
        role="meter"
        aria-label="Microphone level"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
      >
        <div className="level-meter-fill" style={{ width: `${percent}%` }} />
        <div className="level-meter-peak" style={{ left: `${meterPercent(level.peak)}%` }} />
      </div>
      <span className="level-text num small muted" aria-hidden="true">
        {text}
      </span>
    </div>
  );
}
