/** What a key press does while a call rings. */
export type RingingKeyAction = 'answer' | 'reject' | 'voicemail';

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Input types that take text: a letter typed there is the receptionist's, not a command. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'password', 'number', 'date', 'datetime-local', 'time', 'month', 'week']);

/** Whether the element with focus takes typed text (so A, R and V must stay letters). */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA' || element.tagName === 'SELECT') return true;
  if (element.tagName === 'INPUT') return TEXT_INPUT_TYPES.has((element as HTMLInputElement).type || 'text');
  return element.getAttribute('role') === 'combobox' || element.getAttribute('role') === 'textbox';
}

/**
 * What the ringing call offers now: answering only when the engine would allow it
 * (`answerRefusalIn`: not over a call in progress, only over held ones), voicemail except for a
 * workflow's own call.
 */
export interface RingingOffers {
  answer: boolean;
  voicemail: boolean;
}

/**
 * The ringing call's keys, pure. Ctrl/⌘+Enter answers and Ctrl/⌘+Shift+D rejects from anywhere in
 * the window, even from a text field (the hint on the ringing bar says so); A, R and V work when the
 * receptionist is not typing. A key for something the call does not offer does nothing (and the
 * hint does not list it).
 */
export function ringingKeyAction(event: KeyLike, typing: boolean, offers: RingingOffers): RingingKeyAction | null {
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey) {
    if (event.key === 'Enter' && !event.shiftKey) return offers.answer ? 'answer' : null;
    if (event.shiftKey && event.key.toLowerCase() === 'd') return 'reject';
    return null;
  }
  if (typing || event.altKey || command) return null;
  switch (event.key.toLowerCase()) {
    case 'a':
      return offers.answer ? 'answer' : null;
    case 'r':
      return 'reject';
    case 'v':
      return offers.voicemail ? 'voicemail' : null;
    default:
      return null;
  }
}

/** "Ctrl" or "⌘", as the receptionist's keyboard says it. */
export const commandKeyName = (mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform)) => (mac ? '⌘' : 'Ctrl');
