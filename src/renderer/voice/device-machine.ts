import { assertNever } from './assert-never';

/**
 * The registration state of the softphone's Twilio Device, as the receptionist (and the tray) should
 * see it. Pure: one transition function, exhaustive over states and events. `device.state` from the
 * SDK is one input among several (the watchdog's health checks, token and network failures).
 *
 *   unregistered ──register-requested──► registering ──registered──► registered
 *        ▲                                   │  ▲                      │  ▲
 *     stopped (from any)          register-failed │ register-requested   │  │ registered
 *                                    token-failed ▼  │   registration-lost│  │
 *                                             offline ◄── health-suspect ─► degraded (repairing)
 *                                    (network-lost / token-failed / register-failed from anywhere)
 */

export type DegradedReason =
  /** The SDK reported `unregistered` while we wanted to be registered. */
  | 'registration-lost'
  /** No evidence of a live signaling connection for too long. */
  | 'stale'
  /** A health probe (re-register round trip) failed or timed out. */
  | 're-register-failed'
  /** The machine woke from sleep, was unlocked, or the network came back. */
  | 'wake';

export type OfflineReason = 'network' | 'token' | 'register-failed';

export type DeviceState =
  | { status: 'unregistered' }
  | { status: 'registering'; attempt: number; since: number }
  | { status: 'registered'; since: number }
  | { status: 'degraded'; reason: DegradedReason; since: number }
  | { status: 'offline'; reason: OfflineReason; message: string; since: number };

export type DeviceStatus = DeviceState['status'];

export type DeviceEvent =
  /** The engine asked the SDK to register (start, retry or repair). */
  | { type: 'register-requested'; at: number }
  /** The SDK said `registered` (or a health probe round trip succeeded). */
  | { type: 'registered'; at: number }
  /** The SDK said `unregistered` without being asked to. */
  | { type: 'registration-lost'; at: number }
  /** `register()` rejected or timed out. */
  | { type: 'register-failed'; at: number; message: string }
  /** The watchdog doubts the registration and is repairing it. */
  | { type: 'health-suspect'; at: number; reason: DegradedReason }
  /** No token could be had from main, or the edge refused it. */
  | { type: 'token-failed'; at: number; message: string }
  /** The browser reports no network. */
  | { type: 'network-lost'; at: number }
  /** Deliberately stopped (sign-out, engine disposed). */
  | { type: 'stopped' };

export const initialDeviceState: DeviceState = { status: 'unregistered' };

const offline = (reason: OfflineReason, message: string, since: number): DeviceState => ({ status: 'offline', reason, message, since });

export function deviceTransition(state: DeviceState, event: DeviceEvent): DeviceState {
  // Events that mean the same thing from every state.
  switch (event.type) {
    case 'stopped':
      return state.status === 'unregistered' ? state : initialDeviceState;
    case 'token-failed':
      return offline('token', event.message, event.at);
    case 'network-lost':
      return state.status === 'offline' && state.reason === 'network' ? state : offline('network', 'No network connection', event.at);
    case 'register-requested':
    case 'registered':
    case 'registration-lost':
    case 'register-failed':
    case 'health-suspect':
      break;
    default:
      return assertNever(event);
  }

  switch (state.status) {
    case 'unregistered':
      switch (event.type) {
        case 'register-requested':
          return { status: 'registering', attempt: 1, since: event.at };
        case 'registered':
          return { status: 'registered', since: event.at };
        // Nothing to lose, fail or doubt while we are not trying to be registered.
        case 'registration-lost':
        case 'register-failed':
        case 'health-suspect':
          return state;
        default:
          return assertNever(event);
      }
    case 'registering':
      switch (event.type) {
        case 'register-requested':
          return { status: 'registering', attempt: state.attempt + 1, since: state.since };
        case 'registered':
          return { status: 'registered', since: event.at };
        case 'register-failed':
          return offline('register-failed', event.message, event.at);
        // The SDK emits `unregistered` on the way through a failed attempt; the outcome arrives as register-failed.
        case 'registration-lost':
        case 'health-suspect':
          return state;
        default:
          return assertNever(event);
      }
    case 'registered':
      switch (event.type) {
        case 'registered':
        case 'register-requested':
          return state;
        case 'registration-lost':
          return { status: 'degraded', reason: 'registration-lost', since: event.at };
        case 'health-suspect':
          return { status: 'degraded', reason: event.reason, since: event.at };
        case 'register-failed':
          return offline('register-failed', event.message, event.at);
        default:
          return assertNever(event);
      }
    case 'degraded':
      switch (event.type) {
        case 'registered':
          return { status: 'registered', since: event.at };
        // Still repairing: keep the first reason, it says why we started.
        case 'register-requested':
        case 'registration-lost':
        case 'health-suspect':
          return state;
        case 'register-failed':
          return offline('register-failed', event.message, event.at);
        default:
          return assertNever(event);
      }
    case 'offline':
      switch (event.type) {
        case 'register-requested':
          return { status: 'registering', attempt: 1, since: event.at };
        case 'registered':
          return { status: 'registered', since: event.at };
        case 'register-failed':
          return state.reason === 'register-failed' && state.message === event.message ? state : offline('register-failed', event.message, event.at);
        case 'registration-lost':
        case 'health-suspect':
          return state;
        default:
          return assertNever(event);
      }
    default:
      return assertNever(state);
  }
}

/** True when an incoming call can reach this softphone right now (as far as we know). */
export const canReceiveCalls = (state: DeviceState): boolean => state.status === 'registered';

/** Outgoing calls need a working signaling connection: refused while offline or unregistered. */
export const canPlaceCalls = (state: DeviceState): boolean => state.status === 'registered' || state.status === 'degraded';
