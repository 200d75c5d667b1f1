import { createBridge, type BridgeTransport, type EventPayload, type IpcChannel, type IpcEventName, type IpcResult, type SoftphoneBridge } from '../../shared/ipc';

type Handler = (input: unknown) => unknown;

/**
 * A `window.softphone` for component and actions tests: answers each channel from `handlers`
 * (mutable, so a test can change them), with an UNAVAILABLE error for a channel that has none;
 * records every call; `emit` plays main's side of an event.
 */
export function installFakeBridge() {
  const handlers: Partial<Record<IpcChannel, Handler>> = {};
  const calls: Array<{ channel: IpcChannel; input: unknown }> = [];
  const listeners = new Map<IpcEventName, Set<(payload: unknown) => void>>();
  const transport: BridgeTransport = {
    async invoke(channel, input) {
      calls.push({ channel, input });
      const handler = handlers[channel];
      if (!handler) return { ok: false, error: { code: 'UNAVAILABLE', message: `${channel} is not faked` } } as IpcResult<never>;
      try {
        return { ok: true, value: await handler(input) };
      } catch (error) {
        const failure = error as { code?: string; message: string };
        return { ok: false, error: { code: failure.code ?? 'INTERNAL', message: failure.message } };
      }
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  const bridge: SoftphoneBridge = createBridge(transport);
  Object.defineProperty(window, 'softphone', { value: bridge, configurable: true });
  const emit = <E extends IpcEventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  };
  const listenerCount = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);
  return { bridge, handlers, calls, emit, listenerCount, callsTo: (channel: IpcChannel) => calls.filter((c) => c.channel === channel).map((c) => c.input) };
}
