import { beforeEach, describe, expect, it } from 'vitest';
import type { DegradedReason } from './device-machine';
import { deferred, settle, type Deferred } from './testing/deferred';
import { ManualClock } from '../../shared/testing/manual-clock';
import { RegistrationWatchdog, type WatchdogOptions } from './watchdog';

const options: WatchdogOptions = {
  staleAfterMs: 8_000,
  fallbackProbeAfterMs: 600_000,
  probeTimeoutMs: 4_000,
  repairTimeoutMs: 5_000,
  lostGraceMs: 3_000,
  retryDelaysMs: [2_000, 5_000],
};

function setup() {
  const clock = new ManualClock();
  const log: string[] = [];
  const probes: Array<Deferred<void>> = [];
  const repairs: Array<Deferred<void>> = [];
  let liveCall = false;
  let deadCall = false;
  const dog = new RegistrationWatchdog(
    {
      clock,
      hasLiveCall: () => liveCall,
      endDeadCalls: () => {
        if (deadCall) {
          log.push('end-dead-call');
          deadCall = false;
          liveCall = false;
        }
      },
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
    /** A live call the SDK has already closed: endDeadCalls() ends it. */
    setDeadCall: () => {
      liveCall = true;
      deadCall = true;
    },
    /** The edge's heartbeat: a frame every 5 s for `ms`. */
    heartbeats: (ms: number) => {
      for (let elapsed = 0; elapsed < ms; elapsed += 5_000) {
        clock.advance(Math.min(5_000, ms - elapsed));
        dog.signalFrame();
      }
    },
  };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  t = setup();
  t.dog.start();
});

describe('RegistrationWatchdog, blind (no signaling socket visible): the fallback probe', () => {
  it('probes only after ten quiet minutes; evidence postpones it', async () => {
    expect(t.dog.mode).toBe('blind');
    t.clock.advance(599_999);
    expect(t.log).toEqual([]);
    t.dog.evidence();
    t.clock.advance(599_999);
    expect(t.log).toEqual([]);
    t.clock.advance(1);
    expect(t.log).toEqual(['probe']);
    t.probes[0]!.resolve();
    await settle();
    expect(t.log).toEqual(['probe', 'healthy']);
    expect(t.dog.status).toBe('watching');
    t.clock.advance(600_000);
    expect(t.log).toEqual(['probe', 'healthy', 'probe']);
  });

  it('a probe that times out leads to a repair within the probe timeout', async () => {
    t.clock.advance(600_000);
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

  it('a repair that finishes after its time limit is taken, not torn down by the retry', async () => {
    t.dog.repairNow();
    t.clock.advance(5_000); // the limit passes while the repair is still registering
    await settle();
    expect(t.log).toEqual(['repair', 'failed:Re-registering timed out:2000']);
    expect(t.dog.status).toBe('waiting-retry');
    t.clock.advance(1_000);
    t.repairs[0]!.resolve(); // …and then it registers
    await settle();
    expect(t.log.at(-1)).toBe('healthy');
    expect(t.dog.status).toBe('watching');
    t.clock.advance(60_000);
    t.dog.signalFrame();
    expect(t.log.filter((entry) => entry === 'repair')).toHaveLength(1); // no retry destroyed it
  });

  it('a late finish of an older repair does not count once a newer one is under way', async () => {
    t.dog.repairNow();
    t.clock.advance(5_000);
    await settle();
    t.clock.advance(2_000); // the retry starts a second repair
    expect(t.log.at(-1)).toBe('repair');
    t.repairs[0]!.resolve(); // the first one's Device was destroyed by the second: its success means nothing
    await settle();
    expect(t.dog.status).toBe('repairing');
    t.repairs[1]!.resolve();
    await settle();
    expect(t.log.at(-1)).toBe('healthy');
  });

  it('a repair within a call is deferred, and a lost registration outranks a routine check', async () => {
    t.setLiveCall(true);
    t.clock.advance(600_000);
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
    expect(t.clock.pendingTimers).toEqual([]);
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

describe('RegistrationWatchdog, by heartbeat age', () => {
  beforeEach(() => {
    t.dog.signalOpened();
  });

  it('never probes or repairs while the heartbeat keeps coming (an hour of it)', () => {
    expect(t.dog.mode).toBe('heartbeat');
    t.heartbeats(3_600_000);
    expect(t.log).toEqual([]);
    expect(t.dog.heartbeatAgeMs).toBe(0);
  });

  it('no frame for 8 s → degraded and repaired (no probe), within 10 s of the last frame', async () => {
    t.heartbeats(20_000);
    const lastFrame = t.clock.now();
    t.clock.advance(7_999);
    expect(t.log).toEqual([]);
    t.clock.advance(1);
    expect(t.log).toEqual(['suspect:stale', 'repair']);
    t.clock.advance(1_500); // the repair's register round trip
    t.dog.signalClosed();
    t.dog.signalOpened();
    t.repairs[0]!.resolve();
    await settle();
    expect(t.log).toEqual(['suspect:stale', 'repair', 'healthy']);
    expect(t.clock.now() - lastFrame).toBeLessThanOrEqual(10_000);
    // Healthy again: the heartbeat of the new socket keeps it so.
    t.heartbeats(60_000);
    expect(t.log).toHaveLength(3);
  });

  it('a late heartbeat (7 s) is not an alarm; the timer follows the latest frame', () => {
    t.clock.advance(7_000);
    t.dog.signalFrame();
    t.clock.advance(7_000);
    t.dog.signalFrame();
    t.clock.advance(7_999);
    expect(t.log).toEqual([]);
    t.clock.advance(1);
    expect(t.log).toEqual(['suspect:stale', 'repair']);
  });

  it('a closed socket that the SDK does not reopen is repaired 8 s after its last frame', () => {
    t.clock.advance(2_000);
    t.dog.signalFrame();
    t.dog.signalClosed();
    t.clock.advance(7_999);
    expect(t.log).toEqual([]);
    t.clock.advance(1);
    expect(t.log).toEqual(['suspect:stale', 'repair']);
  });

  it('a wake with a fresh heartbeat does nothing; a wake after a quiet socket repairs at once', () => {
    t.clock.advance(3_000);
    t.dog.signalFrame();
    t.dog.wake();
    expect(t.log).toEqual([]);
    // Asleep: no timers ran, the last frame is long gone.
    t.clock.advance(1); // (the health timer is still due later)
    t.dog.signalClosed();
    t.dog.wake();
    expect(t.log).toEqual(['suspect:wake', 'repair']);
  });

  it('never repairs during a live call: waits for it to end, then repairs only if still quiet', async () => {
    t.setLiveCall(true);
    t.clock.advance(60_000);
    expect(t.log).toEqual([]);
    expect(t.dog.status).toBe('deferred');
    // Frames came back (the SDK reconnected its socket during the call): nothing to repair after it.
    t.dog.signalFrame();
    t.setLiveCall(false);
    t.dog.callsEnded();
    expect(t.log).toEqual([]);
    expect(t.dog.status).toBe('watching');
    // Quiet again with no call: repaired.
    t.clock.advance(8_000);
    expect(t.log).toEqual(['suspect:stale', 'repair']);
  });

  it('a dead call (closed by the SDK) is ended first, then the stale registration is repaired', () => {
    t.setDeadCall();
    t.clock.advance(8_000);
    expect(t.log).toEqual(['end-dead-call', 'suspect:stale', 'repair']);
  });

  it('a repair that succeeds counts as a frame, so a blind spot cannot loop repairs back to back', async () => {
    t.clock.advance(8_000);
    t.repairs[0]!.resolve();
    await settle();
    expect(t.log).toEqual(['suspect:stale', 'repair', 'healthy']);
    t.clock.advance(7_999);
    expect(t.log).toHaveLength(3);
  });

  it('a failed repair backs off as before, and the heartbeat timer rests meanwhile', async () => {
    t.clock.advance(8_000);
    t.repairs[0]!.reject(new Error('no token'));
    await settle();
    expect(t.log).toEqual(['suspect:stale', 'repair', 'failed:no token:2000']);
    t.clock.advance(1_999);
    expect(t.log).toHaveLength(3);
    t.clock.advance(1);
    expect(t.log.at(-1)).toBe('repair');
  });
});
