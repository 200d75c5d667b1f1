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
 * The ringing call's keys, pure. Ctrl/⌘+Enter answers and Ctrl/⌘+Shift+D rejects from anywhere in
 * the window, even from a text field (the hint on the ringing bar says so); A, R and V work when the
 * receptionist is not typing. A second call ringing during a call cannot be answered by key (it would
 * drop the first): only rejected or sent to voicemail.
 */
export function ringingKeyAction(event: KeyLike, typing: boolean, busy: boolean): RingingKeyAction | null {
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey) {
    if (event.key === 'Enter' && !event.shiftKey) return busy ? null : 'answer';
    if (event.shiftKey && event.key.toLowerCase() === 'd') return 'reject';
    return null;
  }
  if (typing || event.altKey || command) return null;
  switch (event.key.toLowerCase()) {
    case 'a':
      return busy ? null : 'answer';
    case 'r':
      return 'reject';
    case 'v':
      return 'voicemail';
    default:
      return null;
  }
}

/** "Ctrl" or "⌘", as the receptionist's keyboard says it. */
export const commandKeyName = (mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform)) => (mac ? '⌘' : 'Ctrl');
