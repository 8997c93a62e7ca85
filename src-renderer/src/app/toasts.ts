import { create } from 'zustand';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

interface ToastSlice {
  toasts: Toast[];
  /** Shows a non-blocking message; errors stay until dismissed, others fade after a few seconds. */
  show(kind: ToastKind, message: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** Non-blocking notifications; the shell renders them. */
export const useToasts = create<ToastSlice>()((set, get) => ({
  toasts: [],
  show: (kind, message) => {
    const id = nextId++;
    set({ toasts: [...get().toasts, { id, kind, message }] });
    if (kind !== 'error') setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));

/** Shows an error toast with the engine's message (ApiError) or the error's own. */
export const toastError = (error: unknown) =>
  useToasts.getState().show('error', error instanceof Error ? error.message : String(error));
