import {
  BRIDGE_PATH,
  BRIDGE_SECRET_PARAM,
  bridgeServerFrameSchema,
  createBridge,
  type IpcChannel,
  type IpcEventName,
  type IpcResult,
  type SoftphoneBridge,
} from '../../shared/ipc';

interface Pending {
  resolve: (result: IpcResult<unknown>) => void;
}

const unavailable = (message: string): IpcResult<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } });

/**
 * `window.softphone` for the browser host: the same contract over the authenticated loopback
 * WebSocket. Calls made while the socket is (re)connecting wait for it; calls in flight when it
 * drops resolve as UNAVAILABLE rather than hanging.
 */
export function createSocketBridge(origin: string, secret: string, WebSocketImpl: typeof WebSocket = WebSocket): SoftphoneBridge {
  const url = new URL(BRIDGE_PATH, origin.replace(/^http/, 'ws'));
  url.searchParams.set(BRIDGE_SECRET_PARAM, secret);

  const pending = new Map<number, Pending>();
  const listeners = new Map<IpcEventName, Set<(payload: unknown) => void>>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let retryMs = 250;

  const connect = () => {
    const ws = new WebSocketImpl(url.href);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      for (const frame of outbox.splice(0)) ws.send(frame);
    };
    ws.onmessage = (message) => {
      const parsed = bridgeServerFrameSchema.safeParse(JSON.parse(String(message.data)));
      if (!parsed.success) return;
      const frame = parsed.data;
      if (frame.type === 'result') {
        pending.get(frame.id)?.resolve(frame.result as IpcResult<unknown>);
        pending.delete(frame.id);
      } else {
        for (const listener of listeners.get(frame.event as IpcEventName) ?? []) listener(frame.payload);
      }
    };
    ws.onclose = () => {
      for (const [id, call] of pending) {
        call.resolve(unavailable('The connection to the softphone host was lost.'));
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return createBridge({
    invoke(channel: IpcChannel, input: unknown) {
      const id = nextId++;
      const frame = JSON.stringify({ type: 'invoke', id, channel, input });
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        if (socket?.readyState === WebSocketImpl.OPEN) socket.send(frame);
        else outbox.push(frame);
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
}
