import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../../shared/ipc';
import { defaultSettings } from '../../../shared/settings';
import { AlertService } from '../../os/alerts';
import type { OsNotification } from '../../os/ports';
import type { PhoneStateHub } from '../../phone/phone-state-hub';
import { createIpcRouter, type IpcHandlers, type IpcSender } from '../router';
import { phoneHandlers } from './phone';

const page: IpcSender = { id: 1, isMainFrame: true, frameUrl: 'http://127.0.0.1:5173/index.html' };

/** The router with the phone's handlers over a real AlertService (the window hidden or not), as main runs them. */
function phoneRouter(windowVisible: boolean) {
  const shown: OsNotification[] = [];
  const opened: Array<string | null> = [];
  const alerts = new AlertService({
    port: { supported: true, show: (n) => void shown.push(n), close: () => undefined },
    settings: defaultSettings,
    onOpen: (redirect) => void opened.push(redirect),
    isWindowVisible: () => windowVisible,
  });
  const others = Object.fromEntries(Object.keys(ipcChannels).map((channel) => [channel, vi.fn()])) as unknown as IpcHandlers;
  const router = createIpcRouter({ ...others, ...phoneHandlers({ phoneHub: {} as PhoneStateHub, alerts }) }, { isTrustedSender: () => true });
  return { router, shown };
}

describe('phone.commandRefused', () => {
  it('a hotkey refused while the window is hidden becomes a desktop notification with the refusal', async () => {
    const { router, shown } = phoneRouter(false);
    const result = await router.dispatch('phone.commandRefused', page, { command: 'answer', message: 'Hang up or hold the current call before answering another.' });
    expect(result).toEqual({ ok: true, value: { notified: true } });
    expect(shown).toEqual([
      { id: 'phone-command-refused', title: 'The call was not answered', body: 'Hang up or hold the current call before answering another.', silent: false, urgent: false },
    ]);
  });

  it('with the window on screen the window says it, not the desktop', async () => {
    const { router, shown } = phoneRouter(true);
    expect(await router.dispatch('phone.commandRefused', page, { command: 'mute', message: 'The call is still being set up.' })).toEqual({ ok: true, value: { notified: false } });
    expect(shown).toEqual([]);
  });

  it.each([
    ['an unknown command', { command: 'dial', message: 'x' }],
    ['the window’s own command', { command: 'showWindow', message: 'x' }],
    ['no message', { command: 'answer', message: '  ' }],
    ['an overlong message', { command: 'answer', message: 'x'.repeat(301) }],
  ])('refuses %s without notifying', async (_case, input) => {
    const { router, shown } = phoneRouter(false);
    const result = await router.dispatch('phone.commandRefused', page, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(shown).toEqual([]);
  });
});
