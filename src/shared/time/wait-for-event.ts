// Timers exist in every runtime shared code runs in (Node, Chromium); tsconfig.shared.json gives
// shared code neither runtime's typings, so these two are declared here, and only these two.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** An EventEmitter, or anything with its on/off. */
export interface EventSource<T> {
  on(event: string, listener: (value: T) => void): unknown;
  off(event: string, listener: (value: T) => void): unknown;
}

export interface WaitForEventOptions<T> {
  /** Values already seen: the first match among them wins at once. */
  past?: readonly T[];
  timeoutMs: number;
  /** Why it timed out, in words (what was awaited, the last values seen). */
  timeoutMessage: () => string;
}

/** The first value `event` emits that matches `predicate` (or a past one that does); rejects after `timeoutMs`. */
export function waitForEvent<T>(source: EventSource<T>, event: string, predicate: (value: T) => boolean, options: WaitForEventOptions<T>): Promise<T> {
  const past = options.past?.find(predicate);
  if (past !== undefined) return Promise.resolve(past);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      source.off(event, listener);
      reject(new Error(options.timeoutMessage()));
    }, options.timeoutMs);
    const listener = (value: T): void => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      source.off(event, listener);
      resolve(value);
    };
    source.on(event, listener);
  });
}
