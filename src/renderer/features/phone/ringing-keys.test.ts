import { describe, expect, it } from 'vitest';
import { isTyping, ringingKeyAction } from './ringing-keys';

const EVERYTHING = { answer: true, voicemail: true };
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
    expect(ringingKeyAction(key('a'), false, EVERYTHING)).toBe('answer');
    expect(ringingKeyAction(key('A', { shiftKey: true }), false, EVERYTHING)).toBe('answer');
    expect(ringingKeyAction(key('Enter', { ctrlKey: true }), false, EVERYTHING)).toBe('answer');
    expect(ringingKeyAction(key('Enter', { metaKey: true }), false, EVERYTHING)).toBe('answer');
    expect(ringingKeyAction(key('r'), false, EVERYTHING)).toBe('reject');
    expect(ringingKeyAction(key('D', { ctrlKey: true, shiftKey: true }), false, EVERYTHING)).toBe('reject');
    expect(ringingKeyAction(key('v'), false, EVERYTHING)).toBe('voicemail');
  });

  it('leaves the letters to a text field, but the modifier keys still work there', () => {
    for (const k of ['a', 'r', 'v']) expect(ringingKeyAction(key(k), true, EVERYTHING)).toBeNull();
    expect(ringingKeyAction(key('Enter', { ctrlKey: true }), true, EVERYTHING)).toBe('answer');
    expect(ringingKeyAction(key('D', { ctrlKey: true, shiftKey: true }), true, EVERYTHING)).toBe('reject');
  });

  it('does not answer by key when the engine would refuse the answer (a second call over a live one), but rejects', () => {
    const overALiveCall = { answer: false, voicemail: true };
    expect(ringingKeyAction(key('a'), false, overALiveCall)).toBeNull();
    expect(ringingKeyAction(key('Enter', { ctrlKey: true }), false, overALiveCall)).toBeNull();
    expect(ringingKeyAction(key('r'), false, overALiveCall)).toBe('reject');
    expect(ringingKeyAction(key('D', { ctrlKey: true, shiftKey: true }), false, overALiveCall)).toBe('reject');
    expect(ringingKeyAction(key('v'), false, overALiveCall)).toBe('voicemail');
  });

  it("V does nothing for a workflow's own call (it would go to the practice's voicemail); A and R still work", () => {
    const workflowCall = { answer: true, voicemail: false };
    expect(ringingKeyAction(key('v'), false, workflowCall)).toBeNull();
    expect(ringingKeyAction(key('a'), false, workflowCall)).toBe('answer');
    expect(ringingKeyAction(key('r'), false, workflowCall)).toBe('reject');
  });

  it('ignores other keys and other combinations (Ctrl+A selects all, Alt+A is the menu)', () => {
    expect(ringingKeyAction(key('a', { ctrlKey: true }), false, EVERYTHING)).toBeNull();
    expect(ringingKeyAction(key('a', { altKey: true }), false, EVERYTHING)).toBeNull();
    expect(ringingKeyAction(key('Enter'), false, EVERYTHING)).toBeNull();
    expect(ringingKeyAction(key('Enter', { ctrlKey: true, shiftKey: true }), false, EVERYTHING)).toBeNull();
    expect(ringingKeyAction(key('x'), false, EVERYTHING)).toBeNull();
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
