import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult, SoftphoneBridge, VoiceConfig, VoiceTokenView } from '../../../shared/ipc';
import { useSession } from '../../state/session';
import { useVoiceStore } from '../../voice';
import { connectPhone, PHONE_FIRST_MS } from './phone-runtime';

const config: VoiceConfig = { edge: 'sandbox', chunderw: '127.0.0.1:4443', eventgw: null };
const token: VoiceTokenView = { token: 'jwt', identity: 'user_reception', expiresAt: Date.now() + 3_600_000 };

/** A bridge whose voice answers the test gives when it likes (main's answers to the phone's first requests). */
function fakeBridge() {
  let answer!: (result: IpcResult<VoiceTokenView | null>) => void;
  const asked: string[] = [];
  const tokenAnswer = new Promise<IpcResult<VoiceTokenView | null>>((resolve) => (answer = resolve));
  const bridge = {
    voice: {
      getConfig: async () => (asked.push('config'), { ok: true, value: config }),
      getToken: () => (asked.push('token'), tokenAnswer),
    },
  } as unknown as SoftphoneBridge;
  return { bridge, asked, answerToken: (value: VoiceTokenView | null) => answer({ ok: true, value }) };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const signedIn = (id = 'u1') => useSession.setState({ session: { status: 'signed-in', user: { id, role: 'receptionist' } as never, sessionId: 's' } });
const signedOut = () => useSession.setState({ session: { status: 'signed-out' } as never });

describe('connectPhone', () => {
  afterEach(() => useSession.setState({ session: null }));

  it('asks main for the config and token first, and starts the phone on a token before the session state arrives', async () => {
    const main = fakeBridge();
    const phone = { start: vi.fn(), stop: vi.fn(), prepare: vi.fn(() => main.asked.push('prepared')) };
    const { off } = connectPhone(main.bridge, phone);
    // The SDK's AudioContext is made while the answers are awaited, not after the token.
    expect(main.asked).toEqual(['config', 'token', 'prepared']);
    expect(phone.start).not.toHaveBeenCalled();

    main.answerToken(token);
    await settle();
    expect(phone.start).toHaveBeenCalledWith(main.bridge, { config, token });

    // The session state then says the same: no second start.
    signedIn();
    expect(phone.start).toHaveBeenCalledTimes(1);
    off();
    expect(phone.stop).toHaveBeenCalledTimes(1);
  });

  it('does not start on a token once the session state has said no one is signed in, and stops an early start at sign-out', async () => {
    const late = fakeBridge();
    const phone = { start: vi.fn(), stop: vi.fn() };
    const { off: offLate } = connectPhone(late.bridge, phone);
    signedOut();
    late.answerToken(token);
    await settle();
    expect(phone.start).not.toHaveBeenCalled();
    offLate();
    expect(phone.stop).not.toHaveBeenCalled();

    useSession.setState({ session: null });
    const early = fakeBridge();
    const { off: offEarly } = connectPhone(early.bridge, phone);
    early.answerToken(token);
    await settle();
    expect(phone.start).toHaveBeenCalledTimes(1);
    signedOut();
    expect(phone.stop).toHaveBeenCalledTimes(1);
    offEarly();
  });

  it('without a token, starts the moment the store says someone is signed in, before any render, and stops at sign-out', async () => {
    const main = fakeBridge();
    signedOut();
    const phone = { start: vi.fn(), stop: vi.fn() };
    const { off } = connectPhone(main.bridge, phone);
    main.answerToken(null);
    await settle();
    expect(phone.start).not.toHaveBeenCalled();

    signedIn();
    expect(phone.start).toHaveBeenCalledTimes(1);
    expect(phone.start).toHaveBeenCalledWith(main.bridge, undefined);

    // Another session change while still signed in (a refreshed user) does not restart it.
    signedIn('u1');
    expect(phone.start).toHaveBeenCalledTimes(1);

    signedOut();
    expect(phone.stop).toHaveBeenCalledTimes(1);
    off();
    signedIn();
    expect(phone.start).toHaveBeenCalledTimes(1);
  });

  it('starts at once when someone is already signed in, and stops when disconnected', () => {
    signedIn();
    const phone = { start: vi.fn(), stop: vi.fn() };
    const { off } = connectPhone(fakeBridge().bridge, phone);
    expect(phone.start).toHaveBeenCalledTimes(1);
    off();
    expect(phone.stop).toHaveBeenCalledTimes(1);
  });

  it('firstRegistration: settles at once when no one is signed in, else once the phone started on the token has registered', async () => {
    const nobody = fakeBridge();
    const first = connectPhone(nobody.bridge, { start: vi.fn(), stop: vi.fn() });
    nobody.answerToken(null);
    await expect(first.firstRegistration).resolves.toBeUndefined();
    first.off();

    const main = fakeBridge();
    let registered!: () => void;
    const waitedFor: number[] = [];
    const settledWithin = (maxMs: number) => (waitedFor.push(maxMs), new Promise<void>((resolve) => (registered = resolve)));
    const early = connectPhone(main.bridge, { start: vi.fn(), stop: vi.fn() }, settledWithin);
    let settled = false;
    void early.firstRegistration.then(() => (settled = true));
    main.answerToken(token);
    await settle();
    expect({ settled, waitedFor }).toEqual({ settled: false, waitedFor: [PHONE_FIRST_MS] });
    registered();
    await settle();
    expect(settled).toBe(true);
    early.off();
  });

  it('firstRegistration, by default: the voice store leaving "registering", or the time limit', async () => {
    vi.useFakeTimers();
    /** A phone started on a token while the voice store says "registering"; whether its firstRegistration settled. */
    const startRegistering = () => {
      useVoiceStore.setState({ device: { status: 'registering', attempt: 1, since: 0 } });
      const main = fakeBridge();
      const connected = connectPhone(main.bridge, { start: vi.fn(), stop: vi.fn() });
      const watched = { settled: false };
      void connected.firstRegistration.then(() => (watched.settled = true));
      main.answerToken(token);
      return { connected, watched };
    };
    try {
      const registers = startRegistering();
      await vi.advanceTimersByTimeAsync(PHONE_FIRST_MS - 1);
      expect(registers.watched.settled).toBe(false);
      useVoiceStore.setState({ device: { status: 'registered', since: 1 } });
      await vi.advanceTimersByTimeAsync(0);
      expect(registers.watched.settled).toBe(true);
      registers.connected.off();

      const stalls = startRegistering();
      await vi.advanceTimersByTimeAsync(PHONE_FIRST_MS - 1);
      expect(stalls.watched.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(stalls.watched.settled).toBe(true);
      stalls.connected.off();
    } finally {
      vi.useRealTimers();
    }
  });

  it('firstRegistration: a token slow to come (a slow or unreachable cloud) holds the window up no longer than PHONE_FIRST_MS after main first answered', async () => {
    vi.useFakeTimers();
    try {
      const slow = fakeBridge();
      const phone = { start: vi.fn(), stop: vi.fn() };
      const connected = connectPhone(slow.bridge, phone);
      let settled = false;
      void connected.firstRegistration.then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(PHONE_FIRST_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect(phone.start).not.toHaveBeenCalled();

      // The token still starts the phone when it comes, if the session state has not come first.
      slow.answerToken(token);
      await vi.advanceTimersByTimeAsync(0);
      expect(phone.start).toHaveBeenCalledTimes(1);
      connected.off();
    } finally {
      vi.useRealTimers();
    }
  });
});
