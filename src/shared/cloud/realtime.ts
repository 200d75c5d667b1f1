import { z } from 'zod';
import { notificationSchema } from './entities';
import { syncEntityNames } from './sync';

/**
 * Messages on the realtime WebSocket (`GET /v1/realtime`, Authorization: Bearer <access token>,
 * or, where headers cannot be set, `?ticket=` from `POST /v1/realtime/tickets`: one use, 30 s; an
 * access token is never accepted in the URL). The server only pokes: the client pulls the
 * data with its cursor. `incoming-call` and `notification` carry their data so the phone can
 * show them before the pull completes.
 */
export const incomingCallSchema = z.object({
  callId: z.string(),
  twilioCallSid: z.string(),
  from: z.string(),
  to: z.string(),
  phoneNumberId: z.string(),
  phoneNumberName: z.string(),
  whisperMessage: z.string().nullable(),
  locationId: z.string().nullable(),
  contact: z
    .object({ id: z.string(), name: z.string(), tags: z.array(z.string()), assignedUserId: z.string().nullable() })
    .nullable(),
});
export type IncomingCall = z.infer<typeof incomingCallSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), userId: z.string(), cursor: z.number().int() }),
  z.object({ type: z.literal('changed'), cursor: z.number().int(), entities: z.array(z.enum(syncEntityNames)) }),
  z.object({ type: z.literal('incoming-call'), call: incomingCallSchema }),
  z.object({ type: z.literal('notification'), notification: notificationSchema }),
  z.object({ type: z.literal('session-revoked') }),
  z.object({ type: z.literal('pong'), at: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export const clientMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') })]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
