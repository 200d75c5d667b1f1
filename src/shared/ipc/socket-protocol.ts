import type { IpcResult } from './result';

/**
 * The browser host carries the same IPC contract over a loopback WebSocket. The socket is opened at
 * BRIDGE_PATH with the per-run secret as the `secret` query parameter; the host also checks `Origin`.
 */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_SECRET_PARAM = 'secret';
/** The renderer finds the secret in the page URL's fragment, which never reaches a server log. */
export const BRIDGE_FRAGMENT_KEY = 'bridge';
/**
 * Requests one page may have awaiting their result. The host closes a socket that sends more; the
 * renderer's bridge holds further calls back until results come in, so it never reaches the limit.
 */
export const BRIDGE_MAX_IN_FLIGHT = 64;

/** What the page sends: the host validates it (bridge-socket.ts) before anything else reads it. */
export interface BridgeClientFrame {
  type: 'invoke';
  id: number;
  channel: string;
  input?: unknown;
}

/** What the host sends: a call's result, or an event. */
export type BridgeServerFrame = { type: 'result'; id: number; result: IpcResult<unknown> } | { type: 'event'; event: string; payload: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFrameId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function readResult(value: unknown): IpcResult<unknown> | null {
  if (!isRecord(value)) return null;
  if (value.ok === true) return { ok: true, value: value.value };
  const { error } = value;
  if (value.ok !== false || !isRecord(error) || typeof error.code !== 'string' || error.code === '' || typeof error.message !== 'string') return null;
  return { ok: false, error: { code: error.code, message: error.message } };
}

/**
 * A frame from the host as the page reads it, or null for anything else (the page drops it). By
 * hand, not zod: the page reads every frame from its start, and no schema of zod's can be had
 * without its core (400 KB) parsed and run on the page's way to "Ready for calls" (issue #21).
 * Only the envelope is read here, as the Electron preload passes main's answers on as they are.
 */
export function readServerFrame(value: unknown): BridgeServerFrame | null {
  if (!isRecord(value)) return null;
  if (value.type === 'event') return typeof value.event === 'string' ? { type: 'event', event: value.event, payload: value.payload } : null;
  if (value.type !== 'result' || !isFrameId(value.id)) return null;
  const result = readResult(value.result);
  return result ? { type: 'result', id: value.id, result } : null;
}
