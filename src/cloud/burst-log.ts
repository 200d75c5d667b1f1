/** How a burst's lines read: the first event's message, the key its followers are counted by, the summary. */
export interface BurstWording<T> {
  first(event: T): string;
  key(event: T): string;
  /** The summary line's message, and the name of its field holding the counts by key. */
  summary(total: number, windowSeconds: number): string;
  countsField: string;
}

/**
 * Warnings an operator can act on, without a line per event under a flood: the first event of a
 * quiet spell is logged at once with its fields; the rest of the next `windowMs` are counted by key
 * and logged as one line when it ends. A quiet window logs nothing, so the next event is logged at
 * once again.
 */
export class BurstLog<T extends object> {
  private counted = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly warn: (fields: object, message: string) => void,
    private readonly wording: BurstWording<T>,
    private readonly windowMs = 10_000,
  ) {}

  note(event: T): void {
    if (!this.timer) {
      this.warn(event, this.wording.first(event));
      this.timer = setTimeout(() => this.flush(), this.windowMs);
      this.timer.unref();
      return;
    }
    const key = this.wording.key(event);
    this.counted.set(key, (this.counted.get(key) ?? 0) + 1);
  }

  /** Logs what was counted in the window just ended (nothing if it was only the first). Call on close too. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.counted.size === 0) return;
    const counts = Object.fromEntries(this.counted);
    const total = [...this.counted.values()].reduce((a, b) => a + b, 0);
    this.counted = new Map();
    this.warn({ [this.wording.countsField]: counts, windowMs: this.windowMs }, this.wording.summary(total, this.windowMs / 1000));
  }
}
