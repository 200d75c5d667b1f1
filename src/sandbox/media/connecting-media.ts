/**
 * The calls whose media is connecting: from the moment a far end applies the browser's answer (or
 * offer) until its media is up (ICE, then DTLS) or has failed. The sandbox's callbacks wait for them.
 *
 * Why: on Twilio, status and recording callbacks are sent by other machines, tens of milliseconds
 * or more after the event. The sandbox sends them from the media's own thread, at once. The
 * receiving app (the embedded cloud) often runs on that same thread too. Its handling then sits
 * between the browser's connectivity checks and werift's answers to them, and its DTLS handshake.
 * Measured (issue #21, 30 calls per run, interleaved): sandbox has the answer → the browser's ICE
 * connected p50 7.4–8.3 ms with callbacks sent at once, 5.7–6.7 ms with them held back.
 * So a callback raised while any call's media is connecting is sent once none is, or after
 * `maxWaitMs`, whichever is first. Then they go out as before (their SequenceNumber orders them).
 */
export class ConnectingMedia {
  private readonly open = new Set<symbol>();
  private waiters: Array<() => void> = [];

  constructor(
    /** The longest a callback waits for connecting media. */
    private readonly maxWaitMs = 100,
    /** A connection that never reports its end (a bug, a hung far end) stops counting after this. */
    private readonly maxConnectingMs = 2_000,
  ) {}

  /** How many far ends are connecting now. */
  get connecting(): number {
    return this.open.size;
  }

  /** A far end's ICE starts checking. Returns its end: idempotent, and called by itself after `maxConnectingMs`. */
  begin(): () => void {
    const id = Symbol('connecting');
    this.open.add(id);
    const end = (): void => {
      clearTimeout(timer);
      if (!this.open.delete(id) || this.open.size > 0) return;
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    };
    const timer = setTimeout(end, this.maxConnectingMs);
    timer.unref?.();
    return end;
  }

  /** Resolves once no far end is connecting, or after `maxWaitMs`. Never rejects. */
  settled(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, this.maxWaitMs);
      timer.unref?.();
      this.waiters.push(waiter);
    });
  }
}
