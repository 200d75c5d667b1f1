import type { IpcChannel, IpcEventName, IpcResult, SoftphoneBridge } from '../../shared/ipc';
// From the modules themselves, not shared/ipc's index: the index brings the whole contract's schemas.
import { createBridge } from '../../shared/ipc/bridge';
import { BRIDGE_MAX_IN_FLIGHT, BRIDGE_PATH, BRIDGE_SECRET_PARAM, readServerFrame } from '../../shared/ipc/socket-protocol';

interface Pending {
  frame: string;
  resolve: (result: IpcResult<unknown>) => void;
}

const unavailable = (message: string): IpcResult<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } });

/**
 * `window.softphone` for the browser host: the same contract over the authenticated loopback
 * WebSocket. Calls made while the socket is (re)connecting wait for it; calls in flight when it
 * drops resolve as UNAVAILABLE rather than hanging. At most BRIDGE_MAX_IN_FLIGHT calls are sent at
 * once (the host closes a socket that sends more); the rest wait their turn here.
 */
export function createSocketBridge(origin: string, secret: string, WebSocketImpl: typeof WebSocket = WebSocket): SoftphoneBridge {
  const url = new URL(BRIDGE_PATH, origin.replace(/^http/, 'ws'));
  url.searchParams.set(BRIDGE_SECRET_PARAM, secret);

  /** Calls not sent yet, in order. */
  const waiting = new Map<number, Pending>();
  /** Calls sent on the current socket, awaiting their result. */
  const inFlight = new Map<number, Pending>();
  const listeners = new Map<IpcEventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let retryMs = 250;

  const pump = () => {
    if (socket?.readyState !== WebSocketImpl.OPEN) return;
    for (const [id, call] of waiting) {
      if (inFlight.size >= BRIDGE_MAX_IN_FLIGHT) return;
      waiting.delete(id);
      inFlight.set(id, call);
      socket.send(call.frame);
    }
  };

  const onFrame = (data: unknown) => {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return;
    }
    const frame = readServerFrame(json);
    if (!frame) return;
    if (frame.type === 'result') {
      inFlight.get(frame.id)?.resolve(frame.result);
      inFlight.delete(frame.id);
      pump();
    } else {
      for (const listener of listeners.get(frame.event as IpcEventName) ?? []) listener(frame.payload);
    }
  };

  const connect = () => {
    const ws = new WebSocketImpl(url.href);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      pump();
    };
    ws.onmessage = (message) => onFrame(message.data);
    ws.onclose = () => {
      for (const [id, call] of inFlight) {
        call.resolve(unavailable('The connection to the softphone host was lost.'));
        inFlight.delete(id);
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
        waiting.set(id, { frame, resolve });
        pump();
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
