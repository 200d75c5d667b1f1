import { z } from 'zod';

/** Webhook paths (under the public URL). The TwiML app's Voice URL is OUTBOUND; each number's is INBOUND. */
export const webhookPaths = {
  inbound: '/twilio/voice/inbound',
  outbound: '/twilio/voice/outbound',
  status: '/twilio/voice/status',
  recording: '/twilio/voice/recording',
  dialComplete: '/twilio/voice/dial-complete',
  whisper: '/twilio/voice/whisper',
  whisperAccept: '/twilio/voice/whisper-accept',
  voicemailDone: '/twilio/voice/voicemail-done',
  /** Each number's Voice Fallback URL, and its <Dial>'s action (fallback.ts: answered without the database). */
  fallback: '/twilio/voice/fallback',
  fallbackDialDone: '/twilio/voice/fallback-dial-done',
} as const;

const sid = z.string().min(2).max(64);
const callParams = z.object({ CallSid: sid, AccountSid: sid, From: z.string().max(128), To: z.string().max(128) });
export const inboundParamsSchema = callParams;
/** What Twilio posts to a Fallback URL: the call's parameters, and the error and the URL it happened on. */
export const fallbackParamsSchema = callParams.extend({
  ErrorCode: z.string().max(16).optional(),
  ErrorUrl: z.string().max(2048).optional(),
});
export const outboundParamsSchema = callParams.extend({
  /** Device.connect({ params: { To, CallerId } }) arrive as custom parameters. */
  CallerId: z.string().max(32).optional(),
  /** The Manual Call task being worked when the call was placed (checked before the call is linked to it). */
  TaskId: z.string().max(64).optional(),
});
export const statusParamsSchema = callParams.extend({
  CallStatus: z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'answered', 'completed', 'busy', 'no-answer', 'canceled', 'failed']),
  ParentCallSid: sid.optional(),
  CallDuration: z.coerce.number().int().min(0).optional(),
  Direction: z.string().max(32).optional(),
  Timestamp: z.string().max(64).optional(),
});
export const recordingParamsSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  RecordingSid: sid,
  RecordingUrl: z.string().max(1024).optional(),
  RecordingStatus: z.string().max(32).default('completed'),
  RecordingDuration: z.coerce.number().int().min(-1).optional(),
});
export const dialCompleteParamsSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  DialCallStatus: z.string().max(32),
  DialCallSid: sid.optional(),
  /** Whether the answering party was connected to the caller ('false' when a whisper's call connect hung up). */
  DialBridged: z.enum(['true', 'false']).optional(),
  /** The call's parties (Twilio sends them with every request; the fallback's voicemail files the call by them). */
  From: z.string().max(128).optional(),
  To: z.string().max(128).optional(),
});
/** On the voice fallback's callback URLs: whose call it is (unseen-call-ref.ts). */
export const unseenCallQuerySchema = z.object({
  from: z.string().max(128).optional(),
  to: z.string().max(128).optional(),
  /** Comma-separated user ids. */
  rang: z.string().max(4000).optional(),
});
/** The recording callback's query: what was recorded and, for the fallback's calls, whose call it is. */
export const recordingQuerySchema = unseenCallQuerySchema.extend({
  kind: z.enum(['call', 'voicemail']).default('call'),
});

export type InboundParams = z.infer<typeof inboundParamsSchema>;
export type FallbackParams = z.infer<typeof fallbackParamsSchema>;
export type OutboundParams = z.infer<typeof outboundParamsSchema>;
export type StatusParams = z.infer<typeof statusParamsSchema>;
export type RecordingParams = z.infer<typeof recordingParamsSchema>;
export type RecordingQuery = z.infer<typeof recordingQuerySchema>;
export type UnseenCallQuery = z.infer<typeof unseenCallQuerySchema>;
export type DialCompleteParams = z.infer<typeof dialCompleteParamsSchema>;
