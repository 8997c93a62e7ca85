import { useToasts } from './toasts';

/** Copies text, falling back to selecting it where the clipboard API is unavailable. */
export async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input?.select();
    return false;
  }
}

/** `copyText`, then a toast saying whether it was copied (`what`) or only selected. */
export async function copyWithToast(
  text: string,
  input: HTMLInputElement | null,
  what: string,
): Promise<void> {
  const copied = await copyText(text, input);
  useToasts
    .getState()
    .show(
      copied ? 'success' : 'info',
      copied ? `${what} copied.` : 'Selected: press Ctrl+C to copy.',
    );
}
