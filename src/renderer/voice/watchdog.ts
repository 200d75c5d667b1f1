import type { Clock, TimerHandle } from './clock';
import type { DegradedReason } from './device-machine';

/**
 * The registration watchdog: `device.state === 'registered'` is a claim, not a fact. The SDK keeps
 * saying `registered` after a laptop sleeps, after the edge silently forgets us, or when its
 * 30-second re-register gets no reply. Public SDK events are the only evidence we can see (the
 * signaling socket and its heartbeats are private), so the watchdog:
 *
 * - counts every Device/Call event and every successful `register()` as evidence of life;
 * - when there has been none for `probeAfterMs` while idle, probes with a re-register round trip
 *   (`unregister()` + `register()`) under a timeout;
 * - on `phone.wake` (resume, unlock, network back) probes at once, shown as `degraded`;
 * - when the SDK drops to `unregistered` on its own, gives it `lostGraceMs` to recover, then repairs;
 * - repairs (destroy + recreate the Device, register) when a probe fails, retrying with backoff;
 * - never probes or repairs while a call is live: the check waits until the calls end (the engine
 *   ends a dead call first, see `VoiceEngine`).
 *
 * With the defaults a stale registration found by a wake, a failed probe or a lost registration is
 * repaired within probeTimeoutMs + repair time (about 5 s) — inside the 10 s the product asks for.
 */
export interface WatchdogOptions {
  /** Idle time without any evidence of life before a routine probe. Default 60 s. */
  probeAfterMs: number;
  /** How long a re-register round trip may take. Default 4 s. */
  probeTimeoutMs: number;
  /** How long a repair (recreate + register) may take. Default 5 s. */
  repairTimeoutMs: number;
  /** How long the SDK gets to re-register by itself after it reports `unregistered`. Default 3 s. */
  lostGraceMs: number;
  /** Waits between failed repairs; the last one repeats. Default 2 s, 5 s, 15 s, 30 s. */
  retryDelaysMs: readonly number[];
}

export const defaultWatchdogOptions: WatchdogOptions = {
  probeAfterMs: 60_000,
  probeTimeoutMs: 4_000,
  repairTimeoutMs: 5_000,
  lostGraceMs: 3_000,
  retryDelaysMs: [2_000, 5_000, 15_000, 30_000],
};

export interface WatchdogPorts {
  clock: Clock;
  /** True while any call is ringing, dialing, connecting or open. */
  hasLiveCall(): boolean;
  /** A cheap round trip that proves the registration: resolves when registered again. */
  probe(): Promise<void>;
  /** Rebuilds the registration from scratch: resolves when registered. */
  repair(): Promise<void>;
  /** The registration is in doubt and being repaired (show `degraded`). */
  onSuspect(reason: DegradedReason): void;
  /** A probe or repair proved the registration. */
  onHealthy(): void;
  /** A repair failed; another is scheduled after `retryInMs`. */
  onRepairFailed(message: string, retryInMs: number): void;
}

export type WatchdogCheckReason = 'wake' | 'stale' | 'registration-lost' | 'requested';

type Phase =
  | { name: 'stopped' }
  | { name: 'watching' }
  /** A check is due but a call is live: it runs when the calls end. */
  | { name: 'deferred'; reason: WatchdogCheckReason }
  | { name: 'probing' }
  | { name: 'repairing'; failures: number }
  | { name: 'waiting-retry'; failures: number };

export class RegistrationWatchdog {
  private readonly options: WatchdogOptions;
  private phase: Phase = { name: 'stopped' };
  private lastEvidenceAt: number;
  private idleTimer: TimerHandle | null = null;
  private graceTimer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private rerunRequested = false;
  /** Bumped by stop(): results of an operation started before are ignored. */
  private generation = 0;

  constructor(
    private readonly ports: WatchdogPorts,
    options: Partial<WatchdogOptions> = {},
  ) {
    this.options = { ...defaultWatchdogOptions, ...options };
    this.lastEvidenceAt = ports.clock.now();
  }

  /** What the watchdog is doing, for the diagnostics panel and tests. */
  get status(): Phase['name'] {
    return this.phase.name;
  }

  get evidenceAgeMs(): number {
    return this.ports.clock.now() - this.lastEvidenceAt;
  }

  start(): void {
    if (this.phase.name !== 'stopped') return;
    this.phase = { name: 'watching' };
    this.evidence();
  }

  stop(): void {
    this.generation++;
    this.phase = { name: 'stopped' };
    this.clearTimer('idleTimer');
    this.clearTimer('graceTimer');
    this.clearTimer('retryTimer');
  }

  /** Any Device or Call event, or a successful register(): the signaling connection is alive. */
  evidence(): void {
    this.lastEvidenceAt = this.ports.clock.now();
    if (this.phase.name === 'stopped') return;
    this.armIdleTimer(this.options.probeAfterMs);
  }

  /** The SDK reported `registered`. */
  registered(): void {
    this.clearTimer('graceTimer');
    // The SDK recovered by itself while a call kept us from repairing: nothing left to do.
    if (this.phase.name === 'deferred' && this.phase.reason === 'registration-lost') this.phase = { name: 'watching' };
    this.evidence();
  }

  /** The SDK reported `unregistered` without being asked: give it a moment, then repair. */
  registrationLost(): void {
    if (this.phase.name === 'deferred') {
      this.phase = { name: 'deferred', reason: 'registration-lost' };
      return;
    }
    if (this.phase.name !== 'watching' || this.graceTimer) return;
    this.graceTimer = this.ports.clock.setTimeout(() => {
      this.graceTimer = null;
      this.check('registration-lost');
    }, this.options.lostGraceMs);
  }

  /** Resume, unlock, network back: check now (or as soon as the calls end). */
  wake(): void {
    this.check('wake');
  }

  /** The calls ended: run a check that was waiting for them. */
  callsEnded(): void {
    if (this.phase.name === 'deferred') {
      const reason = this.phase.reason;
      this.phase = { name: 'watching' };
      this.check(reason);
    }
  }

  /** Builds the registration now: at start, or when a new token arrives after a token failure. */
  repairNow(): void {
    const phase = this.phase;
    if (phase.name === 'probing' || phase.name === 'repairing') {
      // Something changed mid-flight (a token arrived): if this attempt fails, try again at once.
      this.rerunRequested = true;
      return;
    }
    if (phase.name !== 'watching' && phase.name !== 'waiting-retry') return;
    if (this.ports.hasLiveCall()) {
      this.phase = { name: 'deferred', reason: 'registration-lost' };
      return;
    }
    this.clearTimer('retryTimer');
    this.clearTimer('graceTimer');
    void this.runRepair(phase.name === 'waiting-retry' ? phase.failures : 0);
  }

  /** Runs a check now unless one is under way; defers it while a call is live. */
  check(reason: WatchdogCheckReason): void {
    switch (this.phase.name) {
      case 'stopped':
      case 'probing':
      case 'repairing':
        return;
      case 'waiting-retry':
        // A wake is a good moment to retry early.
        if (reason === 'wake') {
          this.clearTimer('retryTimer');
          void this.runRepair(this.phase.failures);
        }
        return;
      case 'deferred':
        // Keep the stronger reason: a wake or a lost registration outranks a routine probe.
        if (reason !== 'stale') this.phase = { name: 'deferred', reason };
        return;
      case 'watching':
        break;
    }
    if (this.ports.hasLiveCall()) {
      this.phase = { name: 'deferred', reason };
      return;
    }
    this.clearTimer('graceTimer');
    if (reason === 'registration-lost') {
      this.ports.onSuspect('registration-lost');
      void this.runRepair(0);
      return;
    }
    if (reason === 'wake') this.ports.onSuspect('wake');
    void this.runProbe();
  }

  private async runProbe(): Promise<void> {
    const generation = this.generation;
    this.phase = { name: 'probing' };
    this.clearTimer('idleTimer');
    const result = await this.withTimeout(this.ports.probe(), this.options.probeTimeoutMs, 'The registration check timed out');
    if (generation !== this.generation) return;
    if (result.ok) {
      this.phase = { name: 'watching' };
      this.ports.onHealthy();
      this.evidence();
      return;
    }
    this.ports.onSuspect('re-register-failed');
    await this.runRepair(0);
  }

  private async runRepair(previousFailures: number): Promise<void> {
    const generation = this.generation;
    this.phase = { name: 'repairing', failures: previousFailures };
    this.clearTimer('idleTimer');
    const result = await this.withTimeout(this.ports.repair(), this.options.repairTimeoutMs, 'Re-registering timed out');
    if (generation !== this.generation) return;
    if (result.ok) {
      this.rerunRequested = false;
      this.phase = { name: 'watching' };
      this.ports.onHealthy();
      this.evidence();
      return;
    }
    const failures = previousFailures + 1;
    if (this.rerunRequested) {
      this.rerunRequested = false;
      this.ports.onRepairFailed(result.message, 0);
      await this.runRepair(failures);
      return;
    }
    const delays = this.options.retryDelaysMs;
    const retryInMs = delays[Math.min(failures - 1, delays.length - 1)] ?? 30_000;
    this.phase = { name: 'waiting-retry', failures };
    this.ports.onRepairFailed(result.message, retryInMs);
    this.retryTimer = this.ports.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.phase.name !== 'waiting-retry') return;
      if (this.ports.hasLiveCall()) {
        // Somehow a call got through (or we are placing one): leave it be and look again later.
        this.phase = { name: 'deferred', reason: 'registration-lost' };
        return;
      }
      void this.runRepair(failures);
    }, retryInMs);
  }

  private armIdleTimer(ms: number): void {
    this.clearTimer('idleTimer');
    if (this.phase.name !== 'watching' && this.phase.name !== 'deferred') return;
    this.idleTimer = this.ports.clock.setTimeout(() => {
      this.idleTimer = null;
      if (this.evidenceAgeMs >= this.options.probeAfterMs) this.check('stale');
      else this.armIdleTimer(this.options.probeAfterMs - this.evidenceAgeMs);
    }, ms);
  }

  private clearTimer(name: 'idleTimer' | 'graceTimer' | 'retryTimer'): void {
    const handle = this[name];
    if (handle) this.ports.clock.clearTimeout(handle);
    this[name] = null;
  }

  private withTimeout(work: Promise<void>, ms: number, timeoutMessage: string): Promise<{ ok: true } | { ok: false; message: string }> {
    return new Promise((resolve) => {
      const timer = this.ports.clock.setTimeout(() => resolve({ ok: false, message: timeoutMessage }), ms);
      work.then(
        () => {
          this.ports.clock.clearTimeout(timer);
          resolve({ ok: true });
        },
        (error: unknown) => {
          this.ports.clock.clearTimeout(timer);
          resolve({ ok: false, message: error instanceof Error ? error.message : String(error) });
        },
      );
    });
  }
}
