import { IPC_CHANNEL_NAMES, isListedEvent } from './channel-names';
import type { ChannelInput, ChannelOutput, EventPayload, IpcChannel, IpcEventName } from './contract';
import type { IpcResult } from './result';

/**
 * `window.softphone`: one async function per contract channel, grouped by namespace, plus `on()`
 * for events. Built from the contract by `createBridge` over any transport: Electron IPC in the
 * preload, the authenticated loopback WebSocket in the browser host.
 */
type Namespace<C extends string> = C extends `${infer N}.${string}` ? N : never;
type Method<C extends string, N extends string> = C extends `${N}.${infer M}` ? M : never;
type CallFn<C extends IpcChannel> = undefined extends ChannelInput<C>
  ? (input?: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>
  : (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;

export type SoftphoneApi = {
  [N in Namespace<IpcChannel>]: { [M in Method<IpcChannel, N>]: CallFn<`${N}.${M}` & IpcChannel> };
};

export type SoftphoneBridge = SoftphoneApi & {
  /** Subscribes to a main → renderer event; returns the unsubscribe function. */
  on<E extends IpcEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export interface BridgeTransport {
  invoke(channel: IpcChannel, input: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: IpcEventName, listener: (payload: unknown) => void): () => void;
}

export function createBridge(transport: BridgeTransport): SoftphoneBridge {
  const api: Record<string, Record<string, (input?: unknown) => Promise<IpcResult<unknown>>>> = {};
  for (const channel of IPC_CHANNEL_NAMES) {
    const [namespace, method] = channel.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][method] = (input?: unknown) => transport.invoke(channel, input);
  }
  const on = (event: string, listener: (payload: unknown) => void) => {
    if (!isListedEvent(event)) throw new Error(`Unknown event: ${event}`);
    return transport.subscribe(event, listener);
  };
  return Object.freeze({ ...api, on }) as unknown as SoftphoneBridge;
}
