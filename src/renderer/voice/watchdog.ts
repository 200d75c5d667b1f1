import type { Clock, TimerHandle } from './clock';
import type { DegradedReason } from './device-machine';

/**
 * The registration watchdog: `device.state === 'registered'` is a claim, not a fact. The SDK keeps
 * saying `registered` after a laptop sleeps, after the edge silently forgets us, or when its
 * 30-second re-register gets no reply. The one honest signal is the signaling socket itself: the
 * edge sends a heartbeat frame about every 5 s (`signaling-monitor.ts` records every frame the SDK's
 * socket receives). So the watchdog:
 *
 * - judges health by heartbeat age: no frame for `staleAfterMs` (8 s: one heartbeat missed and
 *   3 s to spare) while watching → `degraded` and repair. Nothing is sent to check, so the
 *   identity is never unregistered to find out (the old idle unregister/register probe left a
 *   ~100–300 ms window each minute in which a call could be missed);
 * - on `phone.wake` (resume, unlock, network back) looks at once: a closed socket or an old last
 *   frame → repair now; a fresh frame → nothing to do;
 * - when the SDK drops to `unregistered` on its own, gives it `lostGraceMs` to recover, then repairs;
 * - repairs = destroy + recreate the Device with a fresh token and register, retrying with backoff;
 * - never repairs while a call is live: first it asks the engine to end calls the SDK already
 *   closed (a dead call), then the check waits until the remaining calls end;
 * - only if no signaling socket has ever been seen (the monitor was installed too late, or a new
 *   SDK changed its transport) falls back to the old round-trip probe, every `fallbackProbeAfterMs`
 *   (10 min) of silence and on wake.
 *
 * Timing: the last heartbeat → detection at `staleAfterMs` (8 s) → repair (about 0.3–1 s on the
 * sandbox, bounded by `repairTimeoutMs`): a stale registration is repaired within the 10 s the
 * product asks for, and a wake on a dead socket at once.
 */
export interface WatchdogOptions {
  /** Heartbeat age (no frame on the signaling socket) that means the registration is stale. Default 8 s. */
  staleAfterMs: number;
  /** Blind mode only (no signaling socket visible): idle time before a round-trip probe. Default 10 min. */
  fallbackProbeAfterMs: number;
  /** How long a re-register round trip may take (blind mode). Default 4 s. */
  probeTimeoutMs: number;
  /** How long a repair (recreate + register) may take. Default 5 s. */
  repairTimeoutMs: number;
  /** How long the SDK gets to re-register by itself after it reports `unregistered`. Default 3 s. */
  lostGraceMs: number;
  /** Waits between failed repairs; the last one repeats. Default 2 s, 5 s, 15 s, 30 s. */
  retryDelaysMs: readonly number[];
}

export const defaultWatchdogOptions: WatchdogOptions = {
  staleAfterMs: 8_000,
  fallbackProbeAfterMs: 600_000,
  probeTimeoutMs: 4_000,
  repairTimeoutMs: 5_000,
  lostGraceMs: 3_000,
  retryDelaysMs: [2_000, 5_000, 15_000, 30_000],
};

export interface WatchdogPorts {
  clock: Clock;
  /** True while any call is ringing, dialing, connecting or open. */
  hasLiveCall(): boolean;
  /** Ends calls the SDK has already closed without telling (asked before a check waits for calls). */
  endDeadCalls?(): void;
  /** Blind mode only: a round trip that proves the registration: resolves when registered again. */
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
  /** Clock time of the last frame (or open) on a signaling socket; null until one is seen. */
  private lastFrameAt: number | null = null;
  private socketOpen = false;
  private healthTimer: TimerHandle | null = null;
  private graceTimer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private rerunRequested = false;
  /** Bumped by stop(): results of an operation started before are ignored. */
  private generation = 0;
  /** Bumped by each repair: only the latest one may still count when it finishes late. */
  private repairAttempt = 0;

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

  /** `heartbeat` once a signaling socket has been seen; `blind` (probing now and then) before. */
  get mode(): 'heartbeat' | 'blind' {
    return this.lastFrameAt === null ? 'blind' : 'heartbeat';
  }

  /** Age of the last signaling frame; null while blind. */
  get heartbeatAgeMs(): number | null {
    return this.lastFrameAt === null ? null : this.ports.clock.now() - this.lastFrameAt;
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
    this.clearTimer('healthTimer');
    this.clearTimer('graceTimer');
    this.clearTimer('retryTimer');
  }

  // ─── What the signaling socket does (from the monitor) ─────────────────────────────────────

  /** A signaling socket opened: as good as a frame. */
  signalOpened(): void {
    this.socketOpen = true;
    this.signalFrame();
  }

  /** A frame (heartbeat or message) arrived on the signaling socket. */
  signalFrame(): void {
    const wasBlind = this.lastFrameAt === null;
    this.lastFrameAt = this.ports.clock.now();
    // The timer re-arms itself lazily from the latest frame; only a switch out of blind mode needs it now.
    if (wasBlind || !this.healthTimer) this.armHealthTimer();
  }

  /** The signaling socket closed; `stillOpen` when another one is open (a repair's new socket). */
  signalClosed(stillOpen = false): void {
    this.socketOpen = stillOpen;
  }

  // ─── What the SDK says ──────────────────────────────────────────────────────────────────────

  /** Any Device or Call event, or a successful register(): counts only while blind. */
  evidence(): void {
    this.lastEvidenceAt = this.ports.clock.now();
    if (this.phase.name === 'stopped') return;
    if (this.mode === 'blind' || !this.healthTimer) this.armHealthTimer();
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
        // Keep the stronger reason: a wake or a lost registration outranks a stale heartbeat.
        if (reason !== 'stale') this.phase = { name: 'deferred', reason };
        return;
      case 'watching':
        break;
    }
    const blind = this.mode === 'blind';
    // With a heartbeat to go by, a wake or a stale timer repairs only when the socket is really quiet.
    if (!blind && (reason === 'wake' || reason === 'stale') && this.socketLooksAlive()) {
      this.armHealthTimer();
      return;
    }
    this.ports.endDeadCalls?.();
    if (this.ports.hasLiveCall()) {
      this.clearTimer('healthTimer');
      this.phase = { name: 'deferred', reason };
      return;
    }
    this.clearTimer('graceTimer');
    if (reason === 'registration-lost' || !blind) {
      this.ports.onSuspect(reason === 'registration-lost' ? 'registration-lost' : reason === 'wake' ? 'wake' : 'stale');
      void this.runRepair(0);
      return;
    }
    // Blind: a wake shows degraded while the round trip runs; a routine probe does not.
    if (reason === 'wake') this.ports.onSuspect('wake');
    void this.runProbe();
  }

  /**
   * A register round trip just succeeded, so the edge answered a moment ago: count it as a frame.
   * (With the real SDK the `ready` frame was already seen; this keeps a monitor that missed the
   * new socket from turning every repair into the next stale alarm at once.)
   */
  private proven(): void {
    if (this.lastFrameAt !== null) this.lastFrameAt = Math.max(this.lastFrameAt, this.ports.clock.now());
  }

  private socketLooksAlive(): boolean {
    const age = this.heartbeatAgeMs;
    return this.socketOpen && age !== null && age < this.options.staleAfterMs;
  }

  private async runProbe(): Promise<void> {
    const generation = this.generation;
    this.phase = { name: 'probing' };
    this.clearTimer('healthTimer');
    const result = await this.withTimeout(this.ports.probe(), this.options.probeTimeoutMs, 'The registration check timed out');
    if (generation !== this.generation) return;
    if (result.ok) {
      this.phase = { name: 'watching' };
      this.proven();
      this.ports.onHealthy();
      this.evidence();
      return;
    }
    this.ports.onSuspect('re-register-failed');
    await this.runRepair(0);
  }

  private async runRepair(previousFailures: number): Promise<void> {
    const generation = this.generation;
    const attempt = ++this.repairAttempt;
    this.phase = { name: 'repairing', failures: previousFailures };
    this.clearTimer('healthTimer');
    const work = this.ports.repair();
    const result = await this.withTimeout(work, this.options.repairTimeoutMs, 'Re-registering timed out');
    if (generation !== this.generation) return;
    if (result.ok) {
      this.repaired();
      return;
    }
    if (result.timedOut) {
      // On a busy machine a repair can finish just after its limit. Its registration is good:
      // take it, instead of tearing it down at the retry and timing out again the same way.
      work.then(
        () => {
          if (generation === this.generation && attempt === this.repairAttempt && this.phase.name === 'waiting-retry') {
            this.clearTimer('retryTimer');
            this.repaired();
          }
        },
        () => undefined,
      );
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

  private repaired(): void {
    this.rerunRequested = false;
    this.phase = { name: 'watching' };
    this.proven();
    this.ports.onHealthy();
    this.evidence();
  }

  /**
   * One timer for routine health: due `staleAfterMs` after the last frame (heartbeat mode) or
   * `fallbackProbeAfterMs` after the last evidence (blind). It re-arms itself from the latest frame
   * when it fires early, so frames do not have to touch it.
   */
  private armHealthTimer(): void {
    this.clearTimer('healthTimer');
    if (this.phase.name !== 'watching') return;
    const dueIn = () =>
      this.lastFrameAt === null
        ? this.lastEvidenceAt + this.options.fallbackProbeAfterMs - this.ports.clock.now()
        : this.lastFrameAt + this.options.staleAfterMs - this.ports.clock.now();
    this.healthTimer = this.ports.clock.setTimeout(() => {
      this.healthTimer = null;
      if (dueIn() <= 0) this.check('stale');
      else this.armHealthTimer();
    }, Math.max(0, dueIn()));
  }

  private clearTimer(name: 'healthTimer' | 'graceTimer' | 'retryTimer'): void {
    const handle = this[name];
    if (handle) this.ports.clock.clearTimeout(handle);
    this[name] = null;
  }

  private withTimeout(work: Promise<void>, ms: number, timeoutMessage: string): Promise<{ ok: true } | { ok: false; message: string; timedOut: boolean }> {
    return new Promise((resolve) => {
      const timer = this.ports.clock.setTimeout(() => resolve({ ok: false, message: timeoutMessage, timedOut: true }), ms);
      work.then(
        () => {
          this.ports.clock.clearTimeout(timer);
          resolve({ ok: true });
        },
        (error: unknown) => {
          this.ports.clock.clearTimeout(timer);
          resolve({ ok: false, message: error instanceof Error ? error.message : String(error), timedOut: false });
        },
      );
    });
  }
}
