import type { ConfirmQuestion } from '../host-port';

/**
 * The native message box for main's own questions (HostPort.confirm), as plain data so it is tested
 * without Electron: the cancel button first, the default (Enter) and Escape; the box closes as
 * cancelled when `signal` aborts.
 */
export function confirmBoxOptions(question: ConfirmQuestion) {
  return {
    type: 'question' as const,
    title: 'Aesthetix Softphone',
    message: question.message,
    detail: question.detail,
    buttons: [question.cancelLabel ?? 'Cancel', question.confirmLabel],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    ...(question.signal ? { signal: question.signal } : {}),
  };
}

/** Whether the box's answer was the confirm button. */
export const confirmedBy = (response: number): boolean => response === 1;
