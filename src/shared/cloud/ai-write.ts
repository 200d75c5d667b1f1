import { z } from 'zod';
import { SMS_TEMPLATE_MAX } from './templates';

/**
 * Write with AI (the workflow builder's email and SMS panels): what the admin asks for, in words,
 * and the draft the configured OpenAI-compatible endpoint wrote. The draft uses only the merge
 * fields the trigger offers; anything else the model invented is removed and listed.
 */

/** The longest a cloud may be configured to wait for its AI service (AI_TIMEOUT_MS). */
export const AI_TIMEOUT_MAX_MS = 120_000;
/** How long the desktop waits for a draft: past the cloud's own limit, so the cloud's words about a slow AI service arrive first. */
export const AI_WRITE_CLIENT_TIMEOUT_MS = AI_TIMEOUT_MAX_MS + 10_000;

export const aiWriteTones = ['neutral', 'friendly', 'professional', 'casual', 'warm', 'persuasive', 'urgent'] as const;
export type AiWriteTone = (typeof aiWriteTones)[number];

/** A merge-field path as the builder offers it: `contact.first_name`, `custom.coupon`. */
const mergeFieldPath = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i, 'Not a merge field');

export const aiWriteRequestSchema = z
  .object({
    channel: z.enum(['email', 'sms']),
    /** What to write, e.g. "A promotional email offering 20% off a first HydraFacial". */
    prompt: z.string().trim().min(1, 'Say what to write').max(2000),
    tone: z.enum(aiWriteTones).default('neutral'),
    /** The text in the panel now: a follow-up prompt refines it ("Re-generate"). */
    currentSubject: z.string().max(500).optional(),
    currentText: z.string().max(20_000).optional(),
    /** The merge fields the workflow's trigger supplies; the draft may use only these. */
    customValues: z.array(mergeFieldPath).max(200).default([]),
  })
  .strict();
export type AiWriteRequest = z.input<typeof aiWriteRequestSchema>;

export const AI_WRITE_SMS_MAX = SMS_TEMPLATE_MAX;
export const AI_WRITE_SUBJECT_MAX = 200;
export const AI_WRITE_EMAIL_MAX = 20_000;

export const aiWriteResultSchema = z.object({
  /** The subject line (email only; null for SMS). */
  subject: z.string().nullable(),
  body: z.string(),
  /** Merge fields the model used that the trigger does not offer: removed from the draft. */
  removedMergeFields: z.array(z.string()),
  model: z.string(),
});
export type AiWriteResult = z.infer<typeof aiWriteResultSchema>;

const TAG = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Removes every `{{tag}}` not in `allowed` (and collapses the doubled spaces that leaves). */
export function keepOfferedMergeFields(text: string, allowed: readonly string[]): { text: string; removed: string[] } {
  const offered = new Set(allowed);
  const removed: string[] = [];
  const kept = text.replace(TAG, (_tag, field: string) => {
    if (offered.has(field)) return `{{${field}}}`;
    removed.push(field);
    return '';
  });
  return { text: removed.length ? kept.replace(/[ \t]{2,}/g, ' ').replace(/ ([,.!?;:])/g, '$1') : kept, removed: [...new Set(removed)] };
}

/** Whether Write with AI can be used on this server, and why not (shown on the disabled button). */
export const aiWriteStatusSchema = z.object({ available: z.boolean(), reason: z.string().nullable() });
export type AiWriteStatus = z.infer<typeof aiWriteStatusSchema>;
