import { create } from 'zustand';
import { ApiError } from '../api/client';
import { conditionOf } from './toast-conditions';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /**
   * The condition the toast is about (an error code such as MODEL_NOT_READY): one toast per
   * condition, dismissed by itself once the condition no longer holds (see toast-conditions.ts).
   */
  key?: string;
}

interface ToastSlice {
  toasts: Toast[];
  /**
   * Shows a non-blocking message; errors stay until dismissed (or until their condition clears),
   * others fade after a few seconds. A toast with the `key` of one already shown replaces it.
   */
  show(kind: ToastKind, message: string, options?: { key?: string }): void;
  dismiss(id: number): void;
  /** Dismisses the toast about condition `key`, if one is shown. */
  dismissKey(key: string): void;
}

/** How long a success or info toast stays. */
export const toastTimeoutMs = 5000;

let nextId = 1;

/** Non-blocking notifications; the shell renders them. */
export const useToasts = create<ToastSlice>()((set, get) => ({
  toasts: [],
  show: (kind, message, options = {}) => {
    const { key } = options;
    const id = nextId++;
    const toast: Toast = key === undefined ? { id, kind, message } : { id, kind, message, key };
    const same = key === undefined ? -1 : get().toasts.findIndex((t) => t.key === key);
    set({
      toasts:
        same === -1
          ? [...get().toasts, toast]
          : get().toasts.map((t, i) => (i === same ? toast : t)),
    });
    if (kind !== 'error') setTimeout(() => get().dismiss(id), toastTimeoutMs);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  dismissKey: (key) => set({ toasts: get().toasts.filter((t) => t.key !== key) }),
}));

/**
 * Shows an error toast with the engine's message (ApiError) or the error's own. An error about a
 * condition the studio can watch (no Whisper model…) is keyed by it, so it shows once and goes
 * when the condition clears.
 */
export const toastError = (error: unknown) => {
  const key = error instanceof ApiError ? conditionOf(error.code) : undefined;
  useToasts
    .getState()
    .show(
      'error',
      error instanceof Error ? error.message : String(error),
      key === undefined ? {} : { key },
    );
};
