import type { WebSocket } from 'ws';
import { z } from 'zod';
import { BRIDGE_MAX_IN_FLIGHT, fail, type BridgeClientFrame, type BridgeServerFrame, type IpcResult } from '../../../shared/ipc';

/** A frame from the page: read before anything else looks at it; anything else closes the socket. */
const bridgeClientFrameSchema: z.ZodType<BridgeClientFrame> = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().min(1).max(100),
  input: z.unknown().optional(),
});

/**
 * How much one local process can ask of the browser host. Every limit is answered with a clean
 * close (HTTP status or WebSocket close code), never by the host falling over or queueing forever.
 */
export interface BridgeLimits {
  /** Authenticated bridge sockets at once (a page holds one; a reload briefly two). */
  maxSockets: number;
  /** TCP connections of any kind at once: page loads, refused upgrades, bridge sockets. */
  maxTcpConnections: number;
  /** Requests awaiting their result on one socket (the renderer never sends more: BRIDGE_MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** The largest message a page may send; a longer length header closes the socket before any payload is read. */
  maxMessageBytes: number;
  /** Results and events waiting for a socket that does not read them. */
  maxBufferedBytes: number;
  /** A socket that answers no ping for this long is dropped (a dead peer must not hold a slot). */
  heartbeatMs: number;
  /** Time to send the request headers (slow-header connections are dropped). */
  headersTimeoutMs: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = Object.freeze({
  maxSockets: 8,
  maxTcpConnections: 128,
  maxInFlight: BRIDGE_MAX_IN_FLIGHT,
  maxMessageBytes: 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  heartbeatMs: 30_000,
  headersTimeoutMs: 10_000,
});

/** WebSocket close codes the host uses (RFC 6455 §7.4.1 and the IANA registry). */
export const BridgeClose = {
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  tryAgainLater: 1013,
} as const;

export interface BridgeSocketDeps {
  limits: BridgeLimits;
  dispatch(channel: string, input: unknown): Promise<IpcResult<unknown>>;
  log(message: string): void;
}

/** Sends a frame unless the socket is closing or its reader has fallen too far behind (then it is dropped). */
export function sendFrame(ws: WebSocket, frame: BridgeServerFrame, limits: BridgeLimits): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > limits.maxBufferedBytes) {
    ws.terminate();
    return;
  }
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // The socket closed between the check and the send: nothing is waiting for this frame.
  }
}

/**
 * One authenticated bridge socket: parses each text frame, dispatches it through the IPC router and
 * sends the result back. Protocol errors that `ws` detects (bad UTF-8, reserved opcodes, oversized
 * frames) arrive as 'error' events and ws closes the socket with the matching code; without a
 * listener they would be thrown and end the process.
 */
export function serveBridgeSocket(ws: WebSocket, deps: BridgeSocketDeps): void {
  let inFlight = 0;
  let alive = true;

  ws.on('error', (error: Error & { code?: string }) => {
    deps.log(`Bridge socket closed after a protocol error (${error.code ?? error.name})`);
  });
  ws.on('pong', () => {
    alive = true;
  });
  const heartbeat = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, deps.limits.heartbeatMs);
  heartbeat.unref();
  ws.on('close', () => clearInterval(heartbeat));

  ws.on('message', (data, isBinary) => {
    if (ws.readyState !== ws.OPEN) return;
    if (isBinary) return ws.close(BridgeClose.unsupportedData, 'Text frames only');
    if (inFlight >= deps.limits.maxInFlight) return ws.close(BridgeClose.policyViolation, 'Too many requests in flight');
    let frame;
    try {
      frame = bridgeClientFrameSchema.parse(JSON.parse(data.toString()));
    } catch {
      return ws.close(BridgeClose.invalidPayload, 'Malformed frame');
    }
    inFlight++;
    const { id, channel, input } = frame;
    deps
      .dispatch(channel, input)
      // The router turns handler errors into results; this only guards against a bug in the router itself.
      .catch(() => fail('INTERNAL', 'The softphone could not handle this request.'))
      .then((result) => {
        inFlight--;
        sendFrame(ws, { type: 'result', id, result }, deps.limits);
      });
  });
}
