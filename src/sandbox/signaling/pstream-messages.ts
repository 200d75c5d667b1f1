// The PStream 1.6 frames the SDK sends, validated at the edge. Unknown fields pass through.
import { z } from 'zod';

export const PSTREAM_VERSION = '1.6';

const callsid = z.string().min(1);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listen'), payload: z.object({ token: z.string(), browserinfo: z.unknown().optional(), reconnectTimeout: z.number().optional() }) }),
  z.object({ type: z.literal('register'), payload: z.object({ media: z.object({ audio: z.boolean() }).partial() }) }),
  z.object({
    type: z.literal('invite'),
    payload: z.object({
      callsid,
      sdp: z.string(),
      twilio: z.object({ params: z.string().optional() }).partial().optional(),
      reconnect: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('answer'), payload: z.object({ callsid, sdp: z.string() }) }),
  z.object({ type: z.literal('reject'), payload: z.object({ callsid }) }),
  z.object({ type: z.literal('hangup'), payload: z.object({ callsid, message: z.string().optional() }) }),
  z.object({ type: z.literal('reinvite'), payload: z.object({ callsid, sdp: z.string() }) }),
  z.object({ type: z.literal('dtmf'), payload: z.object({ callsid, dtmf: z.string() }) }),
  z.object({
    type: z.literal('message'),
    payload: z.object({ callsid, content: z.unknown(), contenttype: z.string().optional(), messagetype: z.string(), voiceeventsid: z.string() }),
  }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientPayload<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>['payload'];

/** Frames the edge sends; payloads are built by the edge itself, so they are typed, not parsed. */
export type EdgeMessageType = 'connected' | 'ready' | 'offline' | 'error' | 'invite' | 'cancel' | 'hangup' | 'ringing' | 'answer' | 'ack' | 'message';
