import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings';
import { findHotkeyConflicts, HotkeyService, normalizeAccelerator, type HotkeyCommand } from './hotkeys';
import type { HotkeyPort } from './ports';

function fakePort(refuse: string[] = []) {
  const handlers = new Map<string, () => void>();
  const port: HotkeyPort = {
    supported: true,
    register: (accelerator, handler) => {
      if (refuse.includes(accelerator)) return false;
      handlers.set(accelerator, handler);
      return true;
    },
    unregister: (accelerator) => handlers.delete(accelerator),
  };
  return { port, handlers, press: (accelerator: string) => handlers.get(accelerator)?.() };
}

describe('hotkeys', () => {
  it('normalizes spellings so the same keys compare equal', () => {
    expect(normalizeAccelerator('ctrl+shift+a')).toBe(normalizeAccelerator('Shift+Control+A'));
    expect(normalizeAccelerator('CmdOrCtrl+Alt+1')).toBe('Alt+CommandOrControl+1');
  });

  it('registers every action and routes presses to commands', () => {
    const { port, press } = fakePort();
    const commands: HotkeyCommand[] = [];
    const service = new HotkeyService(port, (c) => commands.push(c));
    const report = service.apply(defaultSettings().hotkeys);
    expect(report.map((r) => r.state)).toEqual(['active', 'active', 'active', 'active', 'active', 'active', 'active']);
    press('CommandOrControl+Shift+A');
    expect(commands).toEqual([{ kind: 'answer' }]);
  });

  it('binds dispositions 1–0 only during wrap-up', () => {
    const { port, handlers, press } = fakePort();
    const commands: HotkeyCommand[] = [];
    const service = new HotkeyService(port, (c) => commands.push(c));
    service.apply(defaultSettings().hotkeys);
    service.setWrapUp(10);
    expect(handlers.has('CommandOrControl+Alt+1')).toBe(true);
    expect(handlers.has('CommandOrControl+Alt+0')).toBe(true);
    press('CommandOrControl+Alt+0');
    press('CommandOrControl+Alt+3');
    expect(commands).toEqual([{ kind: 'disposition', index: 9 }, { kind: 'disposition', index: 2 }]);
    service.setWrapUp(0);
    expect(handlers.has('CommandOrControl+Alt+1')).toBe(false);
    expect(handlers.size).toBe(7);
  });

  it('detects a conflict and explains it', () => {
    const hotkeys = { ...defaultSettings().hotkeys, mute: 'Ctrl+Shift+A', answer: 'Shift+Control+a' };
    expect(findHotkeyConflicts(hotkeys)).toEqual(['Ctrl+Shift+A is set for both Answer and Mute.']);
    const { port } = fakePort();
    const report = new HotkeyService(port, () => undefined).apply(hotkeys);
    expect(report.find((r) => r.id === 'mute')).toMatchObject({ state: 'conflict', message: expect.stringMatching(/already used for Answer/) });
    expect(findHotkeyConflicts({ ...defaultSettings().hotkeys, hangUp: 'CommandOrControl+Alt+2' })).toEqual([
      'CommandOrControl+Alt+2 is set for both Hang up and Disposition 2.',
    ]);
  });

  it('next task / skip / complete are global hotkeys like the others: pressed → their command; a clash with another action is refused in words', () => {
    const { port, press } = fakePort();
    const commands: HotkeyCommand[] = [];
    const report = new HotkeyService(port, (c) => commands.push(c)).apply(defaultSettings().hotkeys);
    expect(report.filter((r) => ['nextTask', 'skipTask', 'completeTask'].includes(r.id)).map((r) => [r.label, r.state])).toEqual([
      ['Next task', 'active'], ['Skip task', 'active'], ['Complete task', 'active'],
    ]);
    for (const key of ['CommandOrControl+Shift+F7', 'CommandOrControl+Shift+F8', 'CommandOrControl+Shift+F9']) press(key);
    expect(commands).toEqual([{ kind: 'nextTask' }, { kind: 'skipTask' }, { kind: 'completeTask' }]);
    expect(findHotkeyConflicts({ ...defaultSettings().hotkeys, skipTask: 'Shift+CmdOrCtrl+m' })).toEqual(['Shift+CmdOrCtrl+m is set for both Mute and Skip task.']);
    expect(findHotkeyConflicts({ ...defaultSettings().hotkeys, completeTask: 'CmdOrCtrl+Alt+1' })).toEqual(['CommandOrControl+Alt+1 is set for both Complete task and Disposition 1.']);
  });

  it('reports a shortcut the OS refuses, in words', () => {
    const { port } = fakePort(['CommandOrControl+Shift+M']);
    const report = new HotkeyService(port, () => undefined).apply(defaultSettings().hotkeys);
    expect(report.find((r) => r.id === 'mute')).toMatchObject({
      state: 'refused',
      message: 'Another program already uses CommandOrControl+Shift+M, so “Mute” has no global shortcut. Choose another in Settings.',
    });
  });

  it('reports shortcuts as unavailable where the host has none, without registering', () => {
    const { port, handlers } = fakePort();
    const report = new HotkeyService({ ...port, supported: false }, () => undefined).apply(defaultSettings().hotkeys);
    expect(report.map((r) => r.state)).toEqual(Array(7).fill('unavailable'));
    expect(handlers.size).toBe(0);
  });

  it('switches a hotkey off when it is set to none', () => {
    const { port, handlers } = fakePort();
    new HotkeyService(port, () => undefined).apply({ ...defaultSettings().hotkeys, showWindow: null });
    expect(handlers.has('CommandOrControl+Shift+P')).toBe(false);
  });
});
