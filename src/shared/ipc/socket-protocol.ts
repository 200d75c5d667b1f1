import { z } from 'zod';
import { ipcResultSchema } from './result';

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

export const bridgeClientFrameSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().min(1).max(100),
  input: z.unknown().optional(),
});
export type BridgeClientFrame = z.infer<typeof bridgeClientFrameSchema>;

export const bridgeServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: ipcResultSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type BridgeServerFrame = z.infer<typeof bridgeServerFrameSchema>;
