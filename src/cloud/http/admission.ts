import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BurstLog } from '../burst-log';
import type { CloudConfig } from '../config';
import { runInLane, type Lane } from '../db/lanes';
import { ApiError } from '../errors';
import { webhookPaths } from '../telephony/webhook-params';

/**
 * Admission control: every request belongs to a class with its own slots and its own bounded
 * queue, so one kind of traffic cannot make another wait. Over its class's limit a request is
 * refused AT ONCE with 503 + Retry-After (never an unbounded wait):
 * - `webhook`: Twilio's voice and messaging webhooks. A caller is on the line and Twilio gives up
 *   after 15 s, so a slow answer is worse than a fast refusal; they also run in the `webhook`
 *   database lane (their own PostgreSQL pool, first turn on PGlite's connection; db/lanes.ts).
 * - `sync`: the desktop's push and pull (the desktop honours Retry-After and retries; pushes carry
 *   idempotency keys, so a refused push is applied exactly once when it comes back).
 * - `api`: every other route. A new feature's routes are in it without doing anything.
 * The socket upgrade and the health probes are not gated (a socket would hold a slot for hours),
 * nor is the voice fallback (telephony/fallback.ts): it answers from memory, and it is where a
 * refused inbound call goes, so the caller still reaches the front desk.
 */
export type AdmissionClass = 'webhook' | 'sync' | 'api';

export interface ClassLimits {
  concurrency: number;
  maxQueue: number;
  maxWaitMs: number;
}

/**
 * Defaults per backend. PGlite runs every statement on one connection in this process, so few
 * requests at once is all it can use — except webhooks: the inbound calls in flight together are
 * written in ONE statement (group commit, telephony/inbound-writer.ts), so the more of them are
 * admitted at once, the fewer statements (and commits) a burst costs; their database connections
 * stay bounded by the webhook pool, not by this. Queues are long so that the expected wait, not the count,
 * is what refuses (see AdmissionGate). Webhooks wait at most 1.5 s: with the work itself that
 * keeps each answer within 2 s, far inside Twilio's 15 s. Pushes may wait up to 10 s (the
 * desktop gives up at 15 s). `api` is a generous bound, not a throttle (routes with a costlier
 * limit of their own, like reports' ReportGate, still apply it).
 */
export const DEFAULT_LIMITS: Record<'pglite' | 'postgres', Record<AdmissionClass, ClassLimits>> = {
  pglite: {
    webhook: { concurrency: 64, maxQueue: 1000, maxWaitMs: 1500 },
    sync: { concurrency: 2, maxQueue: 64, maxWaitMs: 10_000 },
    api: { concurrency: 32, maxQueue: 1000, maxWaitMs: 10_000 },
  },
  postgres: {
    webhook: { concurrency: 256, maxQueue: 4000, maxWaitMs: 1500 },
    sync: { concurrency: 8, maxQueue: 256, maxWaitMs: 10_000 },
    api: { concurrency: 64, maxQueue: 2000, maxWaitMs: 10_000 },
  },
};

/** How a path is classed: webhooks and sync by prefix; the socket, the probes and the voice fallback not at all. */
export function classify(url: string): AdmissionClass | null {
  const path = url.split('?', 1)[0]!;
  // The voice fallback answers without the database: it is what a refused inbound call falls back to.
  if (path === webhookPaths.fallback || path === webhookPaths.fallbackDialDone) return null;
  if (path.startsWith('/twilio/') || path.startsWith('/hooks/')) return 'webhook';
  if (path.startsWith('/v1/sync/')) return 'sync';
  if (path === '/v1/realtime' || path === '/healthz' || path === '/readyz') return null;
  return 'api';
}

export const laneOf = (kind: AdmissionClass): Lane => (kind === 'webhook' ? 'webhook' : 'default');

/**
 * How late this thread's timers fire: requests the event loop has not even read yet wait this long
 * (PGlite runs its queries in this thread; a starved CPU shows here too). The gates cannot see
 * those requests, so a webhook arriving while the loop is this late is refused at once instead of
 * adding to the backlog (what Fastify's under-pressure plugin calls maxEventLoopDelay).
 */
export class LoopLag {
  private last = performance.now();
  /** The lateness of the last few ticks, newest last. */
  private readonly recent: number[] = [];
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly intervalMs = 25) {
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - this.last - this.intervalMs);
      this.recent.push(late);
      if (this.recent.length > 4) this.recent.shift();
      this.peak = Math.max(this.peak, late);
      this.last = now;
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * Lateness that has lasted: the least of the last four ticks (≈ 0.1 s of them). One long block
   * (a start-up, a big migration) is not overload; a loop late on every tick is.
   */
  get sustainedMs(): number {
    return this.recent.length < 4 ? 0 : Math.min(...this.recent);
  }

  /** The worst lateness since the last call (for /readyz). */
  takePeak(): number {
    const peak = this.peak;
    this.peak = 0;
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export type RefusalReason = 'slow answers' | 'queue full' | 'expected wait' | 'waited too long' | 'event loop late';

/** What a refusal is logged with: the figures that decided it, never the request. */
export interface Refusal {
  gate: AdmissionClass;
  reason: RefusalReason;
  expectedMs: number;
  inFlight: number;
  waiting: number;
}

/** Refusals as warnings an operator can act on: the first of a quiet spell at once, the rest counted (BurstLog). */
export function refusalLog(warn: (fields: object, message: string) => void, windowMs?: number): BurstLog<Refusal> {
  return new BurstLog<Refusal>(warn, {
    first: (refusal) => `refused a ${refusal.gate} request (503): ${refusal.reason}`,
    key: (refusal) => `${refusal.gate}: ${refusal.reason}`,
    summary: (total, seconds) => `refused ${total} more request(s) (503) in the last ${seconds} s`,
    countsField: 'refused',
  }, windowMs);
}

interface Waiter {
  admit(release: () => void): void;
  timer: NodeJS.Timeout;
}

/**
 * How long a class takes per answer while it has had work without a break, at the throughput it
 * really reaches: exponentially decayed sums (time constant `tauMs`) of the busy time and of the
 * answers finished, so `busy / answers` is the recent time per answer. They start again with each
 * busy period: between bursts, time per answer is only one request's latency (requests did not
 * overlap), which says nothing about how many group commit answers at once. Within a long busy
 * period the figure is the current latency under light load and backlog / capacity under overload,
 * and a stall raises it in real time (busy time grows while nothing finishes).
 */
export class AnswerRate {
  private busy = 0;
  private answers = 0;
  private last: number;
  private busySince: number;

  constructor(
    private readonly now: () => number,
    private readonly tauMs = 1000,
  ) {
    this.last = this.busySince = now();
  }

  /** Call with the number in flight just before it changes (or when reading). */
  private advance(inFlight: number): void {
    const now = this.now();
    if (inFlight > 0 && now > this.last) {
      const keep = Math.exp(-(now - this.last) / this.tauMs);
      this.busy = this.busy * keep + this.tauMs * (1 - keep);
      this.answers *= keep;
    }
    this.last = now;
  }

  started(inFlightBefore: number): void {
    this.advance(inFlightBefore);
    if (inFlightBefore === 0) {
      this.busy = 0;
      this.answers = 0;
      this.busySince = this.last;
    }
  }

  finished(inFlightBefore: number): void {
    this.advance(inFlightBefore);
    this.answers += 1;
  }

  /** How long the class has had requests in flight without a break (0 when idle). */
  busyForMs(inFlight: number): number {
    return inFlight > 0 ? this.now() - this.busySince : 0;
  }

  /** Busy time per answer in this busy period (ms). */
  msPerAnswer(inFlight: number): number {
    this.advance(inFlight);
    return this.busy / Math.max(1, this.answers);
  }
}

/**
 * How many webhooks must be in flight before the throughput rule may refuse one with slots free.
 * A few slow ones (a starved CPU, one long statement ahead on PGlite's connection) are latency,
 * not overload: the newcomer adds almost nothing to the work, and refusing it would fail a call
 * that Twilio would have waited 15 s for. Under a real flood this many are in flight within
 * milliseconds, so the rule still sheds there as soon as it did before.
 */
export const SHED_FLOOR = 8;

/**
 * Slots and a FIFO queue for one class. It keeps a moving average of how long an admitted request
 * holds its slot; a newcomer that would wait longer than `maxWaitMs` by that estimate (or finds
 * the queue full) is refused at once, and one that waited `maxWaitMs` after all is refused then.
 *
 * The average only learns when a request finishes, so a lane that has just slowed down (the
 * database stalls, a lock is held) would still look fast while its queue fills. The requests
 * in flight tell sooner: the service time used is the larger of the average and the mean age of
 * the requests holding slots now (which grows with the stall, in real time). In a steady state
 * that mean age is about half the hold time, so it changes nothing then.
 *
 * With `byThroughput` (webhooks: short, alike, and a caller is on the line) a free slot is not
 * enough either: a newcomer is refused at once when the requests ahead of it, at the class's
 * measured time per answer (AnswerRate), would keep it past `maxWaitMs` (expectedAnswerMs). Webhooks wait in the
 * inbound writer's batch queue, not in this queue, so slots alone would admit them into a slow
 * answer once the writer falls behind; this refuses them fast (503 + Retry-After) instead.
 */
export class AdmissionGate {
  private active = 0;
  private readonly queue: Waiter[] = [];
  /** Moving average of the time a request holds its slot (ms). */
  private holdMs = 5;
  /** Sum of the times the requests in flight took their slots: their mean age in O(1). */
  private startedSum = 0;
  refused = 0;

  private readonly rate: AnswerRate | undefined;

  private readonly onRefused: ((refusal: Refusal) => void) | undefined;

  constructor(
    readonly name: AdmissionClass,
    readonly limits: ClassLimits,
    private readonly now: () => number = () => performance.now(),
    options: { byThroughput?: boolean; onRefused?: (refusal: Refusal) => void } = {},
  ) {
    this.rate = options.byThroughput ? new AnswerRate(now) : undefined;
    this.onRefused = options.onRefused;
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  get averageHoldMs(): number {
    return this.holdMs;
  }

  /** How long a slot is held, as far as is known now: the average, or longer if the requests in flight are already older. */
  serviceMs(): number {
    const meanAge = this.active > 0 ? this.now() - this.startedSum / this.active : 0;
    return Math.max(this.holdMs, meanAge);
  }

  /** The wait a request arriving now can expect before it gets a slot. */
  expectedWaitMs(): number {
    return ((this.queue.length + 1) * this.serviceMs()) / this.limits.concurrency;
  }

  /**
   * byThroughput gates: how long a request arriving now would take to be answered — everyone ahead
   * of it and itself at the time per answer measured in this busy period once it has lasted
   * maxWaitMs, and no less than the mean age of the requests in flight (a stall shows there at
   * once); 0 otherwise, and 0 with fewer than SHED_FLOOR in flight.
   */
  expectedAnswerMs(): number {
    if (!this.rate) return 0;
    // Too few ahead to be overload: refusing would save nothing, and a caller would hear an error.
    if (this.active < SHED_FLOOR) return 0;
    const meanAge = this.now() - this.startedSum / this.active;
    // A burst shorter than the budget is answered within it anyway (and its rate is not measured yet).
    if (this.rate.busyForMs(this.active) < this.limits.maxWaitMs) return meanAge;
    return Math.max((this.active + this.queue.length + 1) * this.rate.msPerAnswer(this.active), meanAge);
  }

  /** Resolves with `release` (call it exactly once when done); rejects with SERVICE_UNAVAILABLE. */
  acquire(): Promise<() => void> {
    // With nothing in flight a newcomer waits for no one (and a refusal then would teach the rate nothing).
    const answer = this.active > 0 ? this.expectedAnswerMs() : 0;
    if (answer > this.limits.maxWaitMs) return Promise.reject(this.refuse(answer, 'slow answers'));
    if (this.active < this.limits.concurrency && this.queue.length === 0) {
      this.rate?.started(this.active);
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    const expected = this.expectedWaitMs();
    if (this.queue.length >= this.limits.maxQueue) return Promise.reject(this.refuse(expected, 'queue full'));
    if (expected > this.limits.maxWaitMs) return Promise.reject(this.refuse(expected, 'expected wait'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: resolve,
        timer: setTimeout(() => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          reject(this.refuse(this.expectedWaitMs(), 'waited too long'));
        }, this.limits.maxWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  /** A refusal decided outside the gate (the event loop is too late). */
  refuseOverloaded(expectedMs: number): ApiError {
    return this.refuse(expectedMs, 'event loop late');
  }

  private refuse(expectedMs: number, reason: RefusalReason): ApiError {
    this.refused += 1;
    this.onRefused?.({ gate: this.name, reason, expectedMs: Math.round(expectedMs), inFlight: this.active, waiting: this.queue.length });
    const seconds = Math.min(60, Math.max(1, Math.ceil(expectedMs / 1000)));
    return new ApiError('SERVICE_UNAVAILABLE', `The server is busy (${this.name}); try again in ${seconds} s`, { retryAfterSeconds: seconds });
  }

  private releaser(): () => void {
    const started = this.now();
    this.startedSum += started;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.startedSum -= started;
      this.holdMs = this.holdMs * 0.9 + (this.now() - started) * 0.1;
      this.rate?.finished(this.active);
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit(this.releaser()); // the slot passes straight to the next in line
      } else {
        this.active -= 1;
        if (this.active === 0) this.startedSum = 0; // no float drift carried over from busy periods
      }
    };
  }
}

export interface Admission {
  gates: Record<AdmissionClass, AdmissionGate>;
  lag: LoopLag;
}

/** What /readyz reports per class: slots in use, requests waiting, refusals since start, the measured hold time. */
export function admissionStats(admission: Admission) {
  const stats = (gate: AdmissionGate) => ({
    inFlight: gate.inFlight, waiting: gate.waiting, refused: gate.refused, holdMs: Math.round(gate.averageHoldMs), serviceMs: Math.round(gate.serviceMs()),
    ...(gate.name === 'webhook' ? { expectedAnswerMs: Math.round(gate.expectedAnswerMs()) } : {}),
  });
  return {
    webhook: stats(admission.gates.webhook), sync: stats(admission.gates.sync), api: stats(admission.gates.api),
    eventLoopLagPeakMs: Math.round(admission.lag.takePeak()),
    eventLoopLagSustainedMs: Math.round(admission.lag.sustainedMs),
  };
}

/** The limits in force: the configuration's, each unset value taken from the backend's defaults. */
export function admissionLimits(kind: 'pglite' | 'postgres', load: CloudConfig['load']): Record<AdmissionClass, ClassLimits> {
  const defaults = DEFAULT_LIMITS[kind];
  return {
    webhook: { ...defaults.webhook, ...definedOnly(load.webhook) },
    sync: { ...defaults.sync, ...definedOnly(load.sync) },
    api: { ...defaults.api, ...definedOnly(load.api) },
  };
}

const definedOnly = <T extends object>(value: T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Installs the gates on the whole server: a slot is taken before the body is read (onRequest, so a
 * refusal costs almost nothing) and given back when the response is finished or the connection
 * closed; the handler runs in its class's database lane.
 */
export function installAdmission(app: FastifyInstance, limits: Record<AdmissionClass, ClassLimits>): Admission {
  const refusals = refusalLog((fields, message) => app.log.warn(fields, message));
  const onRefused = (refusal: Refusal) => refusals.note(refusal);
  const gates = {
    webhook: new AdmissionGate('webhook', limits.webhook, undefined, { byThroughput: true, onRefused }),
    sync: new AdmissionGate('sync', limits.sync, undefined, { onRefused }),
    api: new AdmissionGate('api', limits.api, undefined, { onRefused }),
  };
  const lag = new LoopLag();
  app.addHook('onClose', async () => {
    lag.stop();
    refusals.flush();
  });
  const classOf = new WeakMap<FastifyRequest, AdmissionClass>();
  app.addHook('onRequest', async (request, reply) => {
    const kind = classify(request.url);
    if (!kind) return;
    // Webhooks the loop is too late to serve in time are refused before they add to the backlog.
    if (kind === 'webhook' && lag.sustainedMs > limits.webhook.maxWaitMs / 2) throw gates.webhook.refuseOverloaded(lag.sustainedMs);
    const release = await gates[kind].acquire();
    classOf.set(request, kind);
    reply.raw.once('close', release);
  });
  // Set the lane right before the handler (hooks and handler continue from `done`), after the body is read.
  app.addHook('preHandler', (request, _reply, done) => {
    const kind = classOf.get(request);
    if (kind && laneOf(kind) !== 'default') runInLane(laneOf(kind), done);
    else done();
  });
  return { gates, lag };
}
