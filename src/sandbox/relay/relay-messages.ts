// ConversationRelay's WebSocket messages, as Twilio documents them. From the application: text
// tokens, play, sendDigits, language, end — validated (anything else is error 64107). To the
// application: setup, prompt, dtmf, interrupt, error.
import { z } from 'zod';

export const appMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    token: z.string(),
    last: z.boolean().default(false),
    lang: z.string().optional(),
    interruptible: z.boolean().optional(),
    preemptible: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('play'),
    source: z.string().min(1),
    loop: z.number().int().min(0).max(1000).default(1),
    preemptible: z.boolean().optional(),
    interruptible: z.boolean().optional(),
  }),
  z.object({ type: z.literal('sendDigits'), digits: z.string().regex(/^[0-9*#A-DwW]+$/) }),
  z.object({ type: z.literal('language'), ttsLanguage: z.string().optional(), transcriptionLanguage: z.string().optional() }),
  z.object({ type: z.literal('end'), handoffData: z.string().optional() }),
]);

export type AppMessage = z.infer<typeof appMessageSchema>;

export interface SetupMessage {
  type: 'setup';
  sessionId: string;
  accountSid: string;
  parentCallSid: string;
  callSid: string;
  from: string;
  to: string;
  forwardedFrom: string;
  callerName: string;
  direction: 'inbound' | 'outbound';
  callType: 'PSTN' | 'CLIENT';
  callStatus: string;
  customParameters: Record<string, string>;
}

export type TwilioMessage =
  | SetupMessage
  | { type: 'prompt'; voicePrompt: string; lang: string; last: boolean }
  | { type: 'dtmf'; digit: string }
  | { type: 'interrupt'; utteranceUntilInterrupt: string; durationUntilInterruptMs: number }
  | { type: 'error'; description: string };

/** interruptible / welcomeGreetingInterruptible / reportInputDuringAgentSpeech: none | dtmf | speech | any (booleans: any / none). */
export type InputKinds = 'none' | 'dtmf' | 'speech' | 'any';

export function inputKinds(value: string | undefined, fallback: InputKinds): InputKinds {
  const v = value?.trim().toLowerCase();
  if (v === 'true') return 'any';
  if (v === 'false') return 'none';
  return v === 'none' || v === 'dtmf' || v === 'speech' || v === 'any' ? v : fallback;
}

export const allows = (kinds: InputKinds, input: 'dtmf' | 'speech'): boolean => kinds === 'any' || kinds === input;
