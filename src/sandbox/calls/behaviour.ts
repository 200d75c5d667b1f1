// How a scripted phone behaves: validated, because the control API takes it from tests and UIs.
import { z } from 'zod';

const digits = z.string().regex(/^[0-9*#A-D]+$/, 'digits are 0-9, *, #, A-D');

export const ANSWERED_BY = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

/**
 * One step of a party's script. Steps run in order; each first waits for what `waitFor` says
 * (the other side's next complete reply — a Say, a Play, an AI agent's answer — or its start),
 * then `delayMs`, then does exactly one thing.
 */
export const scriptStepSchema = z
  .object({
    /** Say this line (speech-like audio for its length; ConversationRelay and <Gather input="speech"> hear the text). */
    say: z.string().min(1).max(2000).optional(),
    press: digits.optional(),
    hangup: z.literal(true).optional(),
    waitFor: z.enum(['nothing', 'reply', 'reply-start']).default('nothing'),
    delayMs: z.number().int().min(0).max(600_000).default(0),
  })
  .refine((s) => [s.say, s.press, s.hangup].filter((v) => v !== undefined).length === 1, { message: 'a script step does exactly one of say, press, hangup' });

export type ScriptStep = z.infer<typeof scriptStepSchema>;
export type ScriptStepInput = z.input<typeof scriptStepSchema>;

export const partyBehaviourSchema = z.object({
  /**
   * answer: a person picks up after answerAfterMs; never: rings until the dialer gives up;
   * voicemail: a machine answers with a greeting (greetingMs), a beep, then records (voicemailMaxMs);
   * fax: a fax machine answers (CED tone); busy / fail: the call never connects.
   */
  answer: z.enum(['answer', 'never', 'busy', 'fail', 'voicemail', 'fax']).default('answer'),
  answerAfterMs: z.number().int().min(0).default(0),
  /** Hang up this long after answering (callee) or after the call starts (caller). */
  hangupAfterMs: z.number().int().min(0).optional(),
  /** Digits to press, digitsAfterMs after answering/starting, spaced 100 ms apart. */
  digits: digits.optional(),
  digitsAfterMs: z.number().int().min(0).default(500),
  /** What the phone sends between scripted lines. Default: silence when the script says lines, else speech. */
  voice: z.enum(['speech', 'tone', 'silence']).optional(),
  /** A person's "Hello?" on pickup, in ms of speech (answering-machine detection hears it). 0 = silent pickup. */
  helloMs: z.number().int().min(0).max(60_000).default(800),
  /** Voicemail: the greeting's length, and whether a beep follows it (else it ends in silence). */
  greetingMs: z.number().int().min(0).max(120_000).default(6000),
  greetingText: z.string().max(2000).optional(),
  beep: z.boolean().default(true),
  /** Voicemail: how long it records after the beep before hanging up. */
  voicemailMaxMs: z.number().int().min(0).default(10_000),
  /** Lines to say, keys to press, a hang-up — timed or in reply to what the party hears. */
  script: z.array(scriptStepSchema).max(200).default([]),
  /** Force an answering-machine detection result instead of deriving it from the callee (rarely needed). */
  answeredBy: z.enum(ANSWERED_BY).optional(),
  answeredByAfterMs: z.number().int().min(0).optional(),
});

export type PartyBehaviour = z.infer<typeof partyBehaviourSchema>;
export type PartyBehaviourInput = z.input<typeof partyBehaviourSchema>;

export function voiceOf(b: PartyBehaviour): 'speech' | 'tone' | 'silence' {
  return b.voice ?? (b.script.some((s) => s.say !== undefined) ? 'silence' : 'speech');
}
