import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { focusNextFrame } from './focus-next-frame';

describe('focusNextFrame', () => {
  let frames: FrameRequestCallback[];
  const runFrame = () => frames.splice(0).forEach((callback) => callback(0));
  const button = (name: string) => {
    const element = document.createElement('button');
    element.textContent = name;
    document.body.append(element);
    return element;
  };
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.replaceChildren();
  });

  it('focuses the target in the next frame, not before', () => {
    const opener = button('Add');
    const target = button('Step 1');
    opener.focus();
    focusNextFrame(() => target);
    expect(document.activeElement).toBe(opener);
    runFrame();
    expect(document.activeElement).toBe(target);
  });

  it('still moves focus that was lost meanwhile (its element closed)', () => {
    const save = button('Save Action');
    const target = button('Step 1');
    save.focus();
    focusNextFrame(() => target);
    save.remove();
    expect(document.activeElement).toBe(document.body);
    runFrame();
    expect(document.activeElement).toBe(target);
  });

  it('leaves focus where it was put after the request, however late the frame', () => {
    const save = button('Save Action');
    const target = button('Step 1');
    const saveDraft = button('Save draft');
    save.focus();
    focusNextFrame(() => target);
    save.remove();
    saveDraft.focus();
    runFrame();
    expect(document.activeElement).toBe(saveDraft);
  });

  it('does nothing when the target is gone', () => {
    const opener = button('Add');
    opener.focus();
    focusNextFrame(() => null);
    runFrame();
    expect(document.activeElement).toBe(opener);
  });
});
