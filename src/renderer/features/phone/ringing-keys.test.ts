import { describe, expect, it } from 'vitest';
import { isTyping, ringingKeyAction } from './ringing-keys';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('ringingKeyAction', () => {
  it('answers with A and Ctrl/⌘+Enter, rejects with R and Ctrl/⌘+Shift+D, voicemail with V', () => {
    expect(ringingKeyAction(key('a'), false, false)).toBe('answer');
    expect(ringingKeyAction(key('A', { shiftKey: true }), false, false)).toBe('answer');
    expect(ringingKeyAction(key('Enter', { ctrlKey: true }), false, false)).toBe('answer');
    expect(ringingKeyAction(key('Enter', { metaKey: true }), false, false)).toBe('answer');
    expect(ringingKeyAction(key('r'), false, false)).toBe('reject');
    expect(ringingKeyAction(key('D', { ctrlKey: true, shiftKey: true }), false, false)).toBe('reject');
    expect(ringingKeyAction(key('v'), false, false)).toBe('voicemail');
  });

  it('leaves the letters to a text field, but the modifier keys still work there', () => {
    for (const k of ['a', 'r', 'v']) expect(ringingKeyAction(key(k), true, false)).toBeNull();
    expect(ringingKeyAction(key('Enter', { ctrlKey: true }), true, false)).toBe('answer');
    expect(ringingKeyAction(key('D', { ctrlKey: true, shiftKey: true }), true, false)).toBe('reject');
  });

  it('never answers a second call by key (it would drop the first), but rejects it', () => {
    expect(ringingKeyAction(key('a'), false, true)).toBeNull();
    expect(ringingKeyAction(key('Enter', { ctrlKey: true }), false, true)).toBeNull();
    expect(ringingKeyAction(key('r'), false, true)).toBe('reject');
  });

  it('ignores other keys and other combinations (Ctrl+A selects all, Alt+A is the menu)', () => {
    expect(ringingKeyAction(key('a', { ctrlKey: true }), false, false)).toBeNull();
    expect(ringingKeyAction(key('a', { altKey: true }), false, false)).toBeNull();
    expect(ringingKeyAction(key('Enter'), false, false)).toBeNull();
    expect(ringingKeyAction(key('Enter', { ctrlKey: true, shiftKey: true }), false, false)).toBeNull();
    expect(ringingKeyAction(key('x'), false, false)).toBeNull();
  });
});

describe('isTyping', () => {
  const el = (html: string) => {
    document.body.innerHTML = html;
    return document.body.firstElementChild;
  };
  it('is true in text inputs, text areas, selects, comboboxes and editable content', () => {
    expect(isTyping(el('<input>'))).toBe(true);
    expect(isTyping(el('<input type="search">'))).toBe(true);
    expect(isTyping(el('<textarea></textarea>'))).toBe(true);
    expect(isTyping(el('<select></select>'))).toBe(true);
    expect(isTyping(el('<div role="combobox"></div>'))).toBe(true);
  });
  it('is false on buttons, checkboxes, the page and nothing', () => {
    expect(isTyping(el('<button>Answer</button>'))).toBe(false);
    expect(isTyping(el('<input type="checkbox">'))).toBe(false);
    expect(isTyping(document.body)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
