import { describe, expect, it } from 'vitest';
import { trayMenuAction } from '../os/tray-menu';
import { routeHotkey } from './hotkey-router';

describe('routeHotkey and the tray menu', () => {
  it('sends digits to the wrap-up, the window key to the host, the rest to the VoiceEngine', () => {
    const seen: string[] = [];
    const route = routeHotkey({
      showWindow: () => seen.push('window'),
      wrapUps: { chooseByHotkey: (index) => (seen.push(`disposition ${index}`), true) },
      phoneCommand: (command) => seen.push(`phone ${command.kind}`),
      taskCommand: (kind) => seen.push(`task ${kind}`),
    });
    route({ kind: 'answer' });
    route({ kind: 'disposition', index: 2 });
    route({ kind: 'showWindow' });
    route({ kind: 'mute' });
    expect(seen).toEqual(['phone answer', 'disposition 2', 'window', 'phone mute']);
    // The queue's keys bring the window up, then the Tasks tab acts.
    seen.length = 0;
    for (const kind of ['nextTask', 'skipTask', 'completeTask'] as const) route({ kind });
    expect(seen).toEqual(['window', 'task nextTask', 'window', 'task skipTask', 'window', 'task completeTask']);
  });

  it('tray items: show, alerts (show and navigate), quit, and phone commands', () => {
    const seen: string[] = [];
    const onMenu = trayMenuAction({
      host: { showWindow: () => (seen.push('show'), true), quit: () => seen.push('quit') },
      navigate: (redirect) => seen.push(`go ${redirect}`),
      phoneCommand: (command) => seen.push(`phone ${command.kind}`),
    });
    for (const id of ['show', 'alerts', 'reject', 'hangUp', 'quit'] as const) onMenu(id);
    expect(seen).toEqual(['show', 'show', 'go alerts', 'phone reject', 'phone hangUp', 'quit']);
  });
});
