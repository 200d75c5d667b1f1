// How a scripted phone behaves: validated, because the control API takes it from tests and UIs.
import { z } from 'zod';

export const partyBehaviourSchema = z.object({
  /** answer: picks up after answerAfterMs; never: rings until the dialer gives up; voicemail: answers, greets, listens, hangs up. */
  answer: z.enum(['answer', 'never', 'busy', 'fail', 'voicemail']).default('answer'),
  answerAfterMs: z.number().int().min(0).default(0),
  /** Hang up this long after answering (callee) or after the call starts (caller). */
  hangupAfterMs: z.number().int().min(0).optional(),
  /** Digits to press, digitsAfterMs after answering/starting, spaced 100 ms apart. */
  digits: z.string().regex(/^[0-9*#A-D]*$/).optional(),
  digitsAfterMs: z.number().int().min(0).default(500),
  voice: z.enum(['speech', 'tone', 'silence']).default('speech'),
  /** Voicemail: how long it listens before hanging up. */
  voicemailMaxMs: z.number().int().min(0).default(10_000),
});

export type PartyBehaviour = z.infer<typeof partyBehaviourSchema>;
export type PartyBehaviourInput = z.input<typeof partyBehaviourSchema>;
