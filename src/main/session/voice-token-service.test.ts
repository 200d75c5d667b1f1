import { describe, expect, it } from 'vitest';
import { CloudError } from '../cloud-client/cloud-client';
import { ManualClock } from '../../shared/testing/manual-clock';
import { createFakeCloud } from '../testing/fake-cloud';
import { createMemoryVault } from './credential-vault';
import { SessionService } from './session-service';
import { VOICE_TOKEN_LEAD_MS, VoiceTokenService } from './voice-token-service';

async function setup(ttlSeconds = 3600, failures = 0) {
  const clock = new ManualClock();
  let remainingFailures = failures;
  const cloud = createFakeCloud({
    twilioToken: async () => {
      if (remainingFailures-- > 0) throw new CloudError(0, 'NETWORK', 'offline');
      return { token: `twilio-${clock.now()}`, identity: 'usr_1', ttlSeconds, expiresAt: new Date(clock.now() + ttlSeconds * 1000).toISOString() };
    },
  });
  const session = new SessionService({ cloud: cloud.api, vault: createMemoryVault(), clock, deviceName: 't' });
  await session.signIn('front@glow.example', 'correct horse');
  const delivered: string[] = [];
  const service = new VoiceTokenService({ session, cloud: cloud.api, clock, onToken: (t) => delivered.push(t.token) });
  return { clock, service, delivered };
}

describe('VoiceTokenService', () => {
  it('refreshes at least five minutes before expiry, on its own timer', async () => {
    const { clock, service, delivered } = await setup(3600);
    await service.start();
    expect(delivered).toHaveLength(1);
    expect(clock.pendingTimers).toEqual([3600_000 - VOICE_TOKEN_LEAD_MS]);
    await clock.advanceAsync(3600_000 - VOICE_TOKEN_LEAD_MS - 1);
    expect(delivered).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(delivered).toHaveLength(2);
    expect(service.token!.expiresAt - clock.now()).toBe(3600_000);
  });

  it('refreshes short-lived tokens at half-life', () => {
    expect(VoiceTokenService.refreshDelay(60_000)).toBe(30_000);
    expect(VoiceTokenService.refreshDelay(3600_000)).toBe(3300_000);
  });

  it('retries with backoff while the cloud is unreachable, then delivers', async () => {
    const { clock, service, delivered } = await setup(3600, 2);
    await expect(service.start()).rejects.toThrow(/offline/);
    expect(clock.pendingTimers).toEqual([2_000]);
    await clock.advanceAsync(2_000);
    expect(clock.pendingTimers).toEqual([4_000]);
    await clock.advanceAsync(4_000);
    expect(delivered).toHaveLength(1);
  });

  it('stops refreshing once stopped (signed out)', async () => {
    const { clock, service } = await setup(3600);
    await service.start();
    service.stop();
    expect(clock.pendingTimers).toEqual([]);
    expect(service.token).toBeUndefined();
  });

  it('settled(): waits for the token being fetched, at most as long as it is told, and never fails', async () => {
    const clock = new ManualClock();
    const answers: Array<{ resolve: (value: { token: string; identity: string; ttlSeconds: number; expiresAt: string }) => void; reject: (error: Error) => void }> = [];
    const cloud = createFakeCloud({ twilioToken: () => new Promise((resolve, reject) => answers.push({ resolve, reject })) });
    const session = new SessionService({ cloud: cloud.api, vault: createMemoryVault(), clock, deviceName: 't' });
    await session.signIn('front@glow.example', 'correct horse');
    const service = new VoiceTokenService({ session, cloud: cloud.api, clock, onToken: () => undefined });
    const done = (promise: Promise<void>) => {
      const state = { settled: false };
      void promise.then(() => (state.settled = true));
      return state;
    };
    const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

    // Nothing being fetched: at once.
    const idle = done(service.settled(1_500));
    await flush();
    expect(idle.settled).toBe(true);

    // The token arrives: done then, and the timer is gone.
    void service.start().catch(() => undefined);
    await flush();
    const arrives = done(service.settled(1_500));
    await flush();
    expect(arrives.settled).toBe(false);
    answers[0]!.resolve({ token: 't1', identity: 'usr_1', ttlSeconds: 3600, expiresAt: new Date(clock.now() + 3_600_000).toISOString() });
    await flush();
    expect(arrives.settled).toBe(true);
    expect(clock.pendingTimers).toEqual([3_600_000 - VOICE_TOKEN_LEAD_MS]);

    // A fetch that hangs: done after the limit. One that fails: done, without an error.
    void service.refreshNow().catch(() => undefined);
    await flush();
    const hangs = done(service.settled(1_500));
    await clock.advanceAsync(1_499);
    expect(hangs.settled).toBe(false);
    await clock.advanceAsync(1);
    expect(hangs.settled).toBe(true);
    const fails = service.settled(1_500);
    answers[1]!.reject(new CloudError(0, 'NETWORK', 'offline'));
    await expect(fails).resolves.toBeUndefined();
  });
});
