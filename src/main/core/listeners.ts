/**
 * A typed list of listeners. createCore builds each service after the ones it needs; where a service
 * built earlier must reach one built later (sync → wrap-ups, hotkeys → wrap-ups), it emits into one
 * of these and the later service is added as a listener once it exists.
 */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly emit = (value: T): void => {
    for (const listener of [...this.listeners]) listener(value);
  };

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
