import { copyWithToast } from './copy-text';

/**
 * A read-only text with a Copy button beside it (a new token's secret, the engine log's path):
 * the button copies the text and says so, or selects it where the clipboard is not available.
 */
export function CopyField({
  id,
  value,
  what,
  className,
  autoFocus = false,
}: {
  /** The input's id, for its label. */
  id: string;
  value: string;
  /** What is copied, for the toast: "Token", "Log path". */
  what: string;
  className: string;
  /** The dialog puts its first focus on the Copy button. */
  autoFocus?: boolean;
}) {
  return (
    <div className={`row ${className}`}>
      <input id={id} type="text" readOnly value={value} spellCheck={false} />
      <button
        type="button"
        {...(autoFocus ? { 'data-autofocus': true } : {})}
        onClick={(event) => {
          const input = event.currentTarget.previousElementSibling;
          void copyWithToast(value, input instanceof HTMLInputElement ? input : null, what);
        }}
      >
        Copy
      </button>
    </div>
  );
}
