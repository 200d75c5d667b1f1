import { describe, expect, it } from 'vitest';
import { ipcChannels, ipcEvents } from './contract';

const id = '6f1c1d52-3f2b-4c8e-9d7a-1b2c3d4e5f60';
const answer = ipcChannels['app.answerQuit'].input;

describe('the quit question’s IPC schemas', () => {
  it('takes the window’s answer: the question’s id and the unsaved editors by name', () => {
    expect(answer.parse({ requestId: id, unsaved: [] })).toEqual({ requestId: id, unsaved: [] });
    expect(answer.parse({ requestId: id, unsaved: [' Call policy '] })).toEqual({ requestId: id, unsaved: ['Call policy'] });
    expect(ipcEvents['app.quitAsked'].parse({ requestId: id })).toEqual({ requestId: id });
    expect(ipcEvents['app.keepEditing'].parse({})).toEqual({});
  });

  it('refuses a malformed answer: an id that is not one main makes, blank or long names, too many, extra fields', () => {
    for (const bad of [
      { requestId: 'quit', unsaved: [] },
      { requestId: id },
      { requestId: id, unsaved: [''] },
      { requestId: id, unsaved: ['   '] },
      { requestId: id, unsaved: ['x'.repeat(81)] },
      { requestId: id, unsaved: Array.from({ length: 11 }, (_, i) => `Editor ${i}`) },
      { requestId: id, unsaved: [42] },
      { requestId: id, unsaved: [], quit: true },
      undefined,
    ]) {
      expect(answer.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ipcEvents['app.quitAsked'].safeParse({ requestId: 'x' }).success).toBe(false);
  });
});
