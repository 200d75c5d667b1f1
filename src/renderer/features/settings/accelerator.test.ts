import { describe, expect, it } from 'vitest';
import { acceleratorFromEvent, displayAccelerator } from './accelerator';

const key = (over: Partial<KeyboardEvent>) => ({ key: 'a', code: 'KeyA', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });

describe('acceleratorFromEvent', () => {
  it('records modifier combinations', () => {
    expect(acceleratorFromEvent(key({ ctrlKey: true, shiftKey: true }))).toBe('CommandOrControl+Shift+A');
    expect(acceleratorFromEvent(key({ key: '1', code: 'Digit1', metaKey: true, altKey: true }))).toBe('CommandOrControl+Alt+1');
  });
  it('accepts F-keys alone but not bare letters or lone modifiers', () => {
    expect(acceleratorFromEvent(key({ key: 'F8', code: 'F8' }))).toBe('F8');
    expect(acceleratorFromEvent(key({}))).toBeNull();
    expect(acceleratorFromEvent(key({ key: 'Shift', code: 'ShiftLeft', shiftKey: true }))).toBeNull();
  });
  it('displays shortcuts per platform', () => {
    expect(displayAccelerator('CommandOrControl+Shift+A', false)).toBe('Ctrl+Shift+A');
    expect(displayAccelerator('CommandOrControl+Shift+A', true)).toBe('⌘⇧A');
    expect(displayAccelerator(null)).toBe('Off');
  });
});
