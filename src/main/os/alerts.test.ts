import { describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/cloud';
import { defaultSettings, type Settings } from '../../shared/settings';
import { AlertService } from './alerts';
import type { NotificationPort, OsNotification } from './ports';

function setup(settings: Settings = defaultSettings(), visible = false) {
  const shown: OsNotification[] = [];
  const clicks: Array<() => void> = [];
  const closed: string[] = [];
  const port: NotificationPort = { supported: true, show: (n, onClick) => (shown.push(n), clicks.push(onClick)), close: (id) => closed.push(id) };
  const opened: Array<string | null> = [];
  const alerts = new AlertService({ port, settings: () => settings, onOpen: (r) => opened.push(r), isWindowVisible: () => visible });
  return { alerts, shown, clicks, closed, opened };
}

const note = (id: string, extra: Partial<Notification> = {}): Notification => ({
  id,
  accountId: 'acc_1',
  userId: 'usr_1',
  title: 'Missed call',
  message: 'Jordan Lee (415) 555-0123 called the Front Desk line',
  redirect: 'call:call_9',
  readAt: null,
  createdAt: '2026-11-21T09:00:00Z',
  seq: 3,
  ...extra,
});

describe('AlertService', () => {
  it('shows each notification once and opens its redirect on click', () => {
    const { alerts, shown, clicks, opened } = setup();
    expect(alerts.notify(note('n1'))).toBe(true);
    expect(alerts.notify(note('n1'))).toBe(false);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: 'Missed call', silent: false });
    clicks[0]!();
    expect(opened).toEqual(['call:call_9']);
  });

  it('respects the preferences and skips notifications already read', () => {
    const off = { ...defaultSettings(), notifications: { incomingCalls: true, internalAlerts: false, sound: true } };
    expect(setup(off).alerts.notify(note('n2'))).toBe(false);
    const quiet = { ...defaultSettings(), notifications: { incomingCalls: true, internalAlerts: true, sound: false } };
    const q = setup(quiet);
    q.alerts.notify(note('n3'));
    expect(q.shown[0]!.silent).toBe(true);
    expect(setup().alerts.notify(note('n4', { readAt: '2026-11-21T09:01:00Z' }))).toBe(false);
  });

  it('raises a ringing-call alert only while the window is hidden, and closes it when the call ends', () => {
    const hidden = setup();
    expect(hidden.alerts.incomingCall('c1', '(415) 555-0123', 'Jordan Lee')).toBe(true);
    expect(hidden.shown[0]).toMatchObject({ id: 'call:c1', urgent: true });
    hidden.alerts.callEnded('c1');
    expect(hidden.closed).toEqual(['call:c1']);
    expect(setup(defaultSettings(), true).alerts.incomingCall('c1', 'x', null)).toBe(false);
  });

  it('a refused phone hotkey while the window is hidden: one notification, replaced by the next, a click shows the window', () => {
    const quiet = { ...defaultSettings(), notifications: { incomingCalls: false, internalAlerts: false, sound: false } };
    const hidden = setup(quiet);
    // Shown whatever the alert preferences: it answers the receptionist's own key press.
    expect(hidden.alerts.commandRefused({ command: 'hangUp', message: 'That call has ended.' })).toBe(true);
    expect(hidden.alerts.commandRefused({ command: 'answer', message: 'Hang up or hold the current call before answering another.' })).toBe(true);
    expect(hidden.shown.map((n) => [n.id, n.title, n.body, n.silent])).toEqual([
      ['phone-command-refused', 'The call was not hung up', 'That call has ended.', true],
      ['phone-command-refused', 'The call was not answered', 'Hang up or hold the current call before answering another.', true],
    ]);
    hidden.clicks[1]!();
    expect(hidden.opened).toEqual([null]);
    expect(setup(defaultSettings(), true).alerts.commandRefused({ command: 'mute', message: 'x' })).toBe(false);
  });
});
