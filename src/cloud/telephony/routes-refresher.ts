import type { Logger } from 'pino';
import type { Queryable } from '../db';
import type { ChangeEvent } from '../db/unit-of-work';
import type { LastKnownRoutes } from './fallback';
import { readNumberRoutes } from './inbound-lookup';
import { changesRouting } from './routing-cache';

/** null: every account's numbers. */
type Scope = string | null;

/**
 * Keeps the voice fallback's memory of each number's routing current without waiting for a call:
 * every number a moment after start (a restarted cloud's fallback can ring at once, not only take
 * messages), and an account's numbers again after a change that may reroute them (a number's
 * settings, its users, locations). Changes are read together: one read per account per `delayMs`
 * however many arrive. A read that fails (the database down: when the fallback is needed) is logged
 * and leaves the memory as it was.
 */
export class RoutesRefresher {
  private readonly due = new Map<Scope, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly db: Queryable,
    private readonly lastKnown: LastKnownRoutes,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly delayMs = 1000,
  ) {}

  /** Reads every number after `afterMs`: after the desktop's own start is done with the embedded default's one connection. */
  start(afterMs = 5000): void {
    this.schedule(null, afterMs);
  }

  applyEvent(event: ChangeEvent): void {
    if (changesRouting(event)) this.schedule(event.a, this.delayMs);
  }

  /** Events may have been missed: read every number again. */
  clear(): void {
    this.schedule(null, this.delayMs);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.due.values()) clearTimeout(timer);
    this.due.clear();
  }

  async refresh(scope: Scope): Promise<void> {
    try {
      const routes = await readNumberRoutes(this.db, scope);
      if (this.closed) return;
      if (scope === null) this.lastKnown.replaceAll(routes);
      else this.lastKnown.replaceAccount(scope, routes);
    } catch (err) {
      if (!this.closed) this.log.warn({ err, accountId: scope }, 'could not read the numbers’ routing for the voice fallback; it keeps what it knew');
    }
  }

  private schedule(scope: Scope, afterMs: number): void {
    // Already due, or covered by a read of every number that is.
    if (this.closed || this.due.has(scope) || this.due.has(null)) return;
    const timer = setTimeout(() => {
      this.due.delete(scope);
      void this.refresh(scope);
    }, afterMs);
    timer.unref();
    this.due.set(scope, timer);
  }
}
