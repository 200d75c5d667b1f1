import { currentLane, type Lane } from './lanes';

/**
 * One connection shared in order of urgency: webhook work is handed the connection before any
 * default work that is waiting, default work in arrival order. (A running transaction is never
 * interrupted; urgency only decides who goes next.) PGlite has one connection, so this is how a
 * burst of sync pushes cannot make a ringing call's webhook wait behind all of them.
 */
export class PriorityLock {
  private held = false;
  private readonly waiting: Record<Lane, (() => void)[]> = { webhook: [], default: [] };

  /** Runs `fn` holding the lock; the caller's lane (lanes.ts) decides its place in the queue. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(currentLane());
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  get queued(): number {
    return this.waiting.webhook.length + this.waiting.default.length;
  }

  private acquire(lane: Lane): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting[lane].push(resolve));
  }

  private release(): void {
    const next = this.waiting.webhook.shift() ?? this.waiting.default.shift();
    if (next) next(); // handed over: `held` stays true
    else this.held = false;
  }
}
