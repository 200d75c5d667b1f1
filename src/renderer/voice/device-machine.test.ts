import { describe, expect, it } from 'vitest';
import { canPlaceCalls, canReceiveCalls, deviceTransition, initialDeviceState, type DeviceEvent, type DeviceState, type DeviceStatus } from './device-machine';

const T0 = 1_000;
const AT = 2_000;

const states: Record<DeviceStatus, DeviceState> = {
  unregistered: { status: 'unregistered' },
  registering: { status: 'registering', attempt: 2, since: T0 },
  registered: { status: 'registered', since: T0 },
  degraded: { status: 'degraded', reason: 'wake', since: T0 },
  offline: { status: 'offline', reason: 'network', message: 'No network connection', since: T0 },
};

const events = {
  'register-requested': { type: 'register-requested', at: AT },
  registered: { type: 'registered', at: AT },
  'registration-lost': { type: 'registration-lost', at: AT },
  'register-failed': { type: 'register-failed', at: AT, message: 'timed out' },
  'health-suspect': { type: 'health-suspect', at: AT, reason: 'stale' },
  'token-failed': { type: 'token-failed', at: AT, message: 'no token' },
  'network-lost': { type: 'network-lost', at: AT },
  stopped: { type: 'stopped' },
} satisfies Record<DeviceEvent['type'], DeviceEvent>;

type EventName = keyof typeof events;

const same = 'same' as const;
const registering1: DeviceState = { status: 'registering', attempt: 1, since: AT };
const registeredNow: DeviceState = { status: 'registered', since: AT };
const offlineFailed: DeviceState = { status: 'offline', reason: 'register-failed', message: 'timed out', since: AT };
const offlineToken: DeviceState = { status: 'offline', reason: 'token', message: 'no token', since: AT };
const offlineNetwork: DeviceState = { status: 'offline', reason: 'network', message: 'No network connection', since: AT };

// Every (state, event) pair, written out: the table is the specification.
const table: Record<DeviceStatus, Record<EventName, DeviceState | typeof same>> = {
  unregistered: {
    'register-requested': registering1,
    registered: registeredNow,
    'registration-lost': same,
    'register-failed': same,
    'health-suspect': same,
    'token-failed': offlineToken,
    'network-lost': offlineNetwork,
    stopped: same,
  },
  registering: {
    'register-requested': { status: 'registering', attempt: 3, since: T0 },
    registered: registeredNow,
    'registration-lost': same,
    'register-failed': offlineFailed,
    'health-suspect': same,
    'token-failed': offlineToken,
    'network-lost': offlineNetwork,
    stopped: initialDeviceState,
  },
  registered: {
    'register-requested': same,
    registered: same,
    'registration-lost': { status: 'degraded', reason: 'registration-lost', since: AT },
    'register-failed': offlineFailed,
    'health-suspect': { status: 'degraded', reason: 'stale', since: AT },
    'token-failed': offlineToken,
    'network-lost': offlineNetwork,
    stopped: initialDeviceState,
  },
  degraded: {
    'register-requested': same,
    registered: registeredNow,
    'registration-lost': same,
    'register-failed': offlineFailed,
    'health-suspect': same,
    'token-failed': offlineToken,
    'network-lost': offlineNetwork,
    stopped: initialDeviceState,
  },
  offline: {
    'register-requested': registering1,
    registered: registeredNow,
    'registration-lost': same,
    'register-failed': offlineFailed,
    'health-suspect': same,
    'token-failed': offlineToken,
    'network-lost': same,
    stopped: initialDeviceState,
  },
};

describe('deviceTransition', () => {
  for (const [status, row] of Object.entries(table) as Array<[DeviceStatus, Record<EventName, DeviceState | typeof same>]>) {
    for (const [eventName, expected] of Object.entries(row) as Array<[EventName, DeviceState | typeof same]>) {
      it(`${status} + ${eventName}`, () => {
        const before = states[status];
        const after = deviceTransition(before, events[eventName]);
        if (expected === same) expect(after).toBe(before);
        else expect(after).toEqual(expected);
      });
    }
  }

  it('covers every state and every event in the table', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(states).sort());
    for (const row of Object.values(table)) expect(Object.keys(row).sort()).toEqual(Object.keys(events).sort());
  });

  it('keeps an offline register failure stable when the same failure repeats, updates it when it changes', () => {
    expect(deviceTransition(offlineFailed, events['register-failed'])).toBe(offlineFailed);
    expect(deviceTransition(offlineFailed, { type: 'register-failed', at: AT + 1, message: 'other' })).toEqual({
      status: 'offline',
      reason: 'register-failed',
      message: 'other',
      since: AT + 1,
    });
  });

  it('walks a whole life: start, register, lose it, repair, go offline, come back, stop', () => {
    let s = initialDeviceState;
    const steps: DeviceEvent[] = [
      { type: 'register-requested', at: 1 },
      { type: 'registered', at: 2 },
      { type: 'health-suspect', at: 3, reason: 'wake' },
      { type: 'register-requested', at: 4 },
      { type: 'registered', at: 5 },
      { type: 'network-lost', at: 6 },
      { type: 'register-requested', at: 7 },
      { type: 'registered', at: 8 },
      { type: 'stopped' },
    ];
    const seen = steps.map((e) => (s = deviceTransition(s, e)).status);
    expect(seen).toEqual(['registering', 'registered', 'degraded', 'degraded', 'registered', 'offline', 'registering', 'registered', 'unregistered']);
  });

  it('says who can ring and who can dial', () => {
    expect(Object.values(states).filter(canReceiveCalls).map((s) => s.status)).toEqual(['registered']);
    expect(Object.values(states).filter(canPlaceCalls).map((s) => s.status)).toEqual(['registered', 'degraded']);
  });
});
