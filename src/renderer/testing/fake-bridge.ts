import { createBridge, type BridgeTransport, type IpcChannel, type IpcEventName, type IpcResult, type SoftphoneBridge } from '../../shared/ipc';

type Handler = (input: unknown) => unknown;

/**
 * A `window.softphone` for component tests: answers each channel from `handlers` (mutable, so a
 * test can change them), with an UNAVAILABLE error for a channel that has none; records every call.
 */
export function installFakeBridge() {
  const handlers: Partial<Record<IpcChannel, Handler>> = {};
  const calls: Array<{ channel: IpcChannel; input: unknown }> = [];
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
    subscribe: (_event: IpcEventName) => () => undefined,
  };
  const bridge: SoftphoneBridge = createBridge(transport);
  Object.defineProperty(window, 'softphone', { value: bridge, configurable: true });
  return { bridge, handlers, calls, callsTo: (channel: IpcChannel) => calls.filter((c) => c.channel === channel).map((c) => c.input) };
}
