import { describe, expect, it } from 'vitest';
import { ipcChannels, ipcEvents } from './contract';
import { UNSAVED_WORK_MAX } from './contract-quit';

const report = ipcChannels['app.reportUnsaved'].input;

describe('the quit guard’s IPC schemas', () => {
  it('takes the window’s whole set of unsaved editors by name ([] when none), trimmed', () => {
    expect(report.parse({ unsaved: [] })).toEqual({ unsaved: [] });
    expect(report.parse({ unsaved: [' Call policy ', 'Templates'] })).toEqual({ unsaved: ['Call policy', 'Templates'] });
    const most = Array.from({ length: UNSAVED_WORK_MAX }, (_, i) => `Editor ${i}`);
    expect(report.parse({ unsaved: most })).toEqual({ unsaved: most });
    expect(ipcChannels['app.reportUnsaved'].output.parse({ accepted: true })).toEqual({ accepted: true });
    expect(ipcEvents['app.keepEditing'].parse({})).toEqual({});
  });

  it('refuses a malformed report: blank or long names, too many, not names, extra fields, no set', () => {
    for (const bad of [
      { unsaved: [''] },
      { unsaved: ['   '] },
      { unsaved: ['x'.repeat(81)] },
      { unsaved: Array.from({ length: UNSAVED_WORK_MAX + 1 }, (_, i) => `Editor ${i}`) },
      { unsaved: [42] },
      { unsaved: 'Call policy' },
      { unsaved: [], quit: true },
      {},
      undefined,
    ]) {
      expect(report.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('has no question-and-answer round trip any more: main is told, never asks', () => {
    expect(Object.keys(ipcChannels)).not.toContain('app.answerQuit');
    expect(Object.keys(ipcEvents)).not.toContain('app.quitAsked');
  });
});
