import { beforeEach, describe, expect, it } from 'vitest';
import type { DegradedReason } from './device-machine';
import { deferred, settle, type Deferred } from './testing/deferred';
import { ManualClock } from './testing/manual-clock';
import { RegistrationWatchdog, type WatchdogOptions } from './watchdog';

const options: WatchdogOptions = { probeAfterMs: 60_000, probeTimeoutMs: 4_000, repairTimeoutMs: 5_000, lostGraceMs: 3_000, retryDelaysMs: [2_000, 5_000] };

function setup() {
  const clock = new ManualClock();
  const log: string[] = [];
  const probes: Array<Deferred<void>> = [];
  const repairs: Array<Deferred<void>> = [];
  let liveCall = false;
  const dog = new RegistrationWatchdog(
    {
      clock,
      hasLiveCall: () => liveCall,
      probe: () => {
        log.push('probe');
        const d = deferred();
        probes.push(d);
        return d.promise;
      },
      repair: () => {
        log.push('repair');
        const d = deferred();
        repairs.push(d);
        return d.promise;
      },
      onSuspect: (reason: DegradedReason) => log.push(`suspect:${reason}`),
      onHealthy: () => log.push('healthy'),
      onRepairFailed: (message, retryInMs) => log.push(`failed:${message}:${retryInMs}`),
    },
    options,
  );
  return {
    clock,
    log,
    probes,
    repairs,
    dog,
    setLiveCall: (v: boolean) => {
      liveCall = v;
    },
  };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  t = setup();
  t.dog.start();
});

describe('RegistrationWatchdog', () => {
  it('probes after a quiet minute, not before; evidence postpones it', async () => {
    t.clock.advance(59_999);
    expect(t.log).toEqual([]);
    t.dog.evidence();
    t.clock.advance(59_999);
    expect(t.log).toEqual([]);
    t.clock.advance(1);
    expect(t.log).toEqual(['probe']);
    t.probes[0]!.resolve();
    await settle();
    expect(t.log).toEqual(['probe', 'healthy']);
    expect(t.dog.status).toBe('watching');
    // And again a minute later.
    t.clock.advance(60_000);
    expect(t.log).toEqual(['probe', 'healthy', 'probe']);
  });

  it('a probe that times out leads to a repair within the probe timeout', async () => {
    t.clock.advance(60_000);
    t.clock.advance(3_999);
    await settle();
    expect(t.log).toEqual(['probe']);
    t.clock.advance(1);
    await settle();
    expect(t.log).toEqual(['probe', 'suspect:re-register-failed', 'repair']);
    t.repairs[0]!.resolve();
    await settle();
    expect(t.log.at(-1)).toBe('healthy');
  });

  it('a wake shows degraded and probes at once; a failed probe repairs', async () => {
    t.dog.wake();
    expect(t.log).toEqual(['suspect:wake', 'probe']);
    t.probes[0]!.reject(new Error('unregister never answered'));
    await settle();
    expect(t.log).toEqual(['suspect:wake', 'probe', 'suspect:re-register-failed', 'repair']);
  });

  it('never probes while a call is live: the check waits for the calls to end', async () => {
    t.setLiveCall(true);
    t.dog.wake();
    t.clock.advance(120_000);
    expect(t.log).toEqual([]);
    expect(t.dog.status).toBe('deferred');
    t.setLiveCall(false);
    t.dog.callsEnded();
    expect(t.log).toEqual(['suspect:wake', 'probe']);
  });

  it('a lost registration gets a grace period for the SDK to recover by itself', async () => {
    t.dog.registrationLost();
    t.clock.advance(2_000);
    t.dog.registered();
    t.clock.advance(10_000);
    expect(t.log).toEqual([]);
  });

  it('a lost registration not recovered is repaired after the grace period', async () => {
    t.dog.registrationLost();
    t.clock.advance(3_000);
    expect(t.log).toEqual(['suspect:registration-lost', 'repair']);
  });

  it('failed repairs retry with backoff; a wake retries early', async () => {
    t.dog.repairNow();
    t.repairs[0]!.reject(new Error('no token'));
    await settle();
    expect(t.log).toEqual(['repair', 'failed:no token:2000']);
    t.clock.advance(2_000);
    expect(t.log.at(-1)).toBe('repair');
    t.clock.advance(5_000); // the repair itself times out
    await settle();
    expect(t.log.at(-1)).toBe('failed:Re-registering timed out:5000');
    t.clock.advance(1_000);
    t.dog.wake();
    expect(t.log.at(-1)).toBe('repair');
    t.repairs[2]!.resolve();
    await settle();
    expect(t.log.at(-1)).toBe('healthy');
    expect(t.dog.status).toBe('watching');
  });

  it('a repair within a call is deferred, and a lost registration outranks a routine check', async () => {
    t.setLiveCall(true);
    t.clock.advance(60_000);
    expect(t.dog.status).toBe('deferred');
    t.dog.registrationLost();
    t.setLiveCall(false);
    t.dog.callsEnded();
    expect(t.log).toEqual(['suspect:registration-lost', 'repair']);
  });

  it('repairNow during a failing repair retries at once instead of after the backoff', async () => {
    t.dog.repairNow();
    t.dog.repairNow(); // e.g. a token arrived while the first attempt was still fetching one
    t.repairs[0]!.reject(new Error('no token'));
    await settle();
    expect(t.log).toEqual(['repair', 'failed:no token:0', 'repair']);
    t.repairs[1]!.resolve();
    await settle();
    expect(t.log.at(-1)).toBe('healthy');
  });

  it('ignores results that arrive after stop()', async () => {
    t.dog.wake();
    t.dog.stop();
    t.probes[0]!.reject(new Error('late'));
    await settle();
    t.clock.advance(1_000_000);
    expect(t.log).toEqual(['suspect:wake', 'probe']);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('repairs a stale registration found by a wake within 10 s even when every step hangs to its timeout', async () => {
    const start = t.clock.now();
    t.dog.wake();
    t.clock.advance(4_000); // probe times out
    await settle();
    expect(t.log).toContain('repair');
    t.repairs[0]!.resolve();
    await settle();
    expect(t.log.at(-1)).toBe('healthy');
    expect(t.clock.now() - start).toBeLessThanOrEqual(10_000);
  });
});
