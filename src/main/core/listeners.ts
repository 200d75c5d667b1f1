/**
 * A typed list of listeners. createCore builds each service after the ones it needs; where a service
 * built earlier must reach one built later (sync → wrap-ups, hotkeys → wrap-ups), it emits into one
 * of these and the later service is added as a listener once it exists.
 *
 * Each listener is told on its own: one that throws is reported to `onError` and the rest are still
 * told, and the emitter (the sync engine, the cache, the hotkeys) never sees a listener's bug as its
 * own failure.
 */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onError: (error: unknown) => void) {}

  readonly emit = (value: T): void => {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onError(error);
      }
    }
  };

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
