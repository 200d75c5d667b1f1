import { describe, expect, it } from 'vitest';
import { UnsavedWork } from './unsaved-work';

describe('UnsavedWork: what the windows hold unsaved, as they report it', () => {
  it('knows nothing of a window that has not reported', () => {
    expect(new UnsavedWork().names()).toEqual([]);
  });

  it('each report replaces the window’s set; names once each, across windows; told only on a change', () => {
    let changes = 0;
    const work = new UnsavedWork(() => changes++);
    work.report(1, ['Call policy', 'Call policy']);
    expect(work.names()).toEqual(['Call policy']);
    work.report(2, ['Templates', 'Call policy']);
    expect(work.names()).toEqual(['Call policy', 'Templates']);
    work.report(1, []);
    expect(work.names()).toEqual(['Templates', 'Call policy']);
    expect(changes).toBe(3);
    // A window saying "nothing" again changes nothing.
    work.report(1, []);
    expect(changes).toBe(3);
  });

  it('forgets a window whose page reloaded, crashed or closed: its edits went with it', () => {
    let changes = 0;
    const work = new UnsavedWork(() => changes++);
    work.report(7, ['Call policy']);
    work.forget(7);
    expect(work.names()).toEqual([]);
    work.forget(7);
    expect(changes).toBe(2);
  });
});
