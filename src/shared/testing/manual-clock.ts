import type { Clock, TimerHandle } from '../time/clock';

/**
 * A clock for tests in main and the renderer: time moves only when the test calls `advance()`
 * (timers fire in due order, synchronously) or `advanceAsync()` (the same, letting the promise
 * chains each timer starts settle before the next one fires).
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; callback: () => void }>();

  constructor(start = Date.parse('2026-11-21T09:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + Math.max(0, ms), callback });
    return { timer: id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.timer as number);
  }

  /** How long until each pending timer fires, soonest first. */
  get pendingTimers(): number[] {
    return [...this.timers.values()].map((t) => t.due - this.current).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing each timer that falls due (including ones set meanwhile). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) this.fire(next);
    this.current = target;
  }

  /** As `advance`, but lets the promise chains a timer starts settle before the next timer fires. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.fire(next);
      for (let i = 0; i < 20; i++) await Promise.resolve();
    }
    this.current = target;
  }

  private nextDue(target: number): number | undefined {
    let found: number | undefined;
    let soonest = Infinity;
    for (const [id, timer] of this.timers) {
      if (timer.due <= target && timer.due < soonest) {
        soonest = timer.due;
        found = id;
      }
    }
    return found;
  }

  private fire(id: number): void {
    const timer = this.timers.get(id)!;
    this.timers.delete(id);
    this.current = Math.max(this.current, timer.due);
    timer.callback();
  }
}
