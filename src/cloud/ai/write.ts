import { z } from 'zod';
import {
  AI_WRITE_EMAIL_MAX, AI_WRITE_SMS_MAX, AI_WRITE_SUBJECT_MAX, keepOfferedMergeFields,
  type AiWriteResult, type aiWriteRequestSchema,
} from '../../shared/cloud/ai-write';
import type { CloudConfig } from '../config';
import type { CloudContext } from '../context';
import { ApiError } from '../errors';
import { takeSlot } from '../http/throttle';
import { AiClientError, createAiClient, type AiClient } from './openai-client';

/**
 * Write with AI: drafts an email (subject + body) or a text for a workflow action through the
 * configured OpenAI-compatible endpoint. No endpoint → AI_NOT_CONFIGURED, never canned text.
 */

type WriteRequest = z.output<typeof aiWriteRequestSchema>;

/** Drafts per practice per window: enough for an admin iterating, not a free LLM proxy. */
export const AI_WRITE_LIMIT = 30;
export const AI_WRITE_WINDOW_SECONDS = 600;

export const AI_NOT_CONFIGURED_MESSAGE = 'Write with AI is not available: no AI service is configured on this server (set AI_BASE_URL and AI_MODEL). Write the message yourself.';

/** The client when an OpenAI-compatible endpoint is configured, else null. */
export function writerClient(config: CloudConfig['ai'], fetchImpl?: typeof fetch): AiClient | null {
  if (config.brain === 'none' || !config.baseUrl || !config.model) return null;
  return createAiClient({ baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey, timeoutMs: config.timeoutMs, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

/** Takes one of the practice's draft slots (http/throttle.ts: one upsert, so concurrency never passes the limit). */
const reserveDraft = (ctx: CloudContext, accountId: string): Promise<void> =>
  takeSlot(ctx.db, {
    key: `ai-write:${accountId}`, max: AI_WRITE_LIMIT, windowSeconds: AI_WRITE_WINDOW_SECONDS,
    refusal: (minutes) => `Your practice has asked for ${AI_WRITE_LIMIT} AI drafts in the last ${AI_WRITE_WINDOW_SECONDS / 60} minutes; try again in ${minutes} min.`,
  });

const draftSchema = z.object({ subject: z.string().optional(), body: z.string().min(1) });

function jsonSchemaFor(channel: 'email' | 'sms'): Record<string, unknown> {
  return channel === 'email'
    ? { type: 'object', properties: { subject: { type: 'string', maxLength: AI_WRITE_SUBJECT_MAX }, body: { type: 'string' } }, required: ['subject', 'body'], additionalProperties: false }
    : { type: 'object', properties: { body: { type: 'string', maxLength: AI_WRITE_SMS_MAX } }, required: ['body'], additionalProperties: false };
}

function instructions(request: WriteRequest): string {
  const fields = request.customValues.length
    ? `You may personalise with these merge fields, written exactly as {{field}}: ${request.customValues.map((f) => `{{${f}}}`).join(', ')}. Use no other {{…}} tags.`
    : 'Use no {{…}} merge-field tags.';
  const channel = request.channel === 'email'
    ? `Write an email for a medical spa: a short subject line (under ${AI_WRITE_SUBJECT_MAX} characters) and a plain-text body with short paragraphs.`
    : `Write one SMS text message for a medical spa: at most ${AI_WRITE_SMS_MAX} characters (shorter is better, ideally under 320), plain text, no subject.`;
  return [channel, `Tone: ${request.tone}.`, fields, 'Do not invent prices, dates, names or links the request does not give. Answer with JSON only.'].join('\n');
}

function userMessage(request: WriteRequest): string {
  const current = [
    request.currentSubject?.trim() ? `Current subject: ${request.currentSubject.trim()}` : '',
    request.currentText?.trim() ? `Current text:\n${request.currentText.trim()}` : '',
  ].filter(Boolean);
  return current.length ? `${current.join('\n')}\n\nRewrite it: ${request.prompt}` : request.prompt;
}

export async function writeWithAi(ctx: CloudContext, client: AiClient | null, accountId: string, request: WriteRequest): Promise<AiWriteResult> {
  if (!client) throw new ApiError('AI_NOT_CONFIGURED', AI_NOT_CONFIGURED_MESSAGE);
  await reserveDraft(ctx, accountId);
  let draft: z.infer<typeof draftSchema>;
  try {
    draft = await client.completeJson(
      { messages: [{ role: 'system', content: instructions(request) }, { role: 'user', content: userMessage(request) }], temperature: 0.7 },
      request.channel === 'email' ? 'email_draft' : 'sms_draft',
      jsonSchemaFor(request.channel),
      draftSchema,
    );
  } catch (error) {
    if (error instanceof AiClientError) throw new ApiError('AI_REQUEST_FAILED', `The AI service could not write this: ${error.message}. Try again, or write it yourself.`);
    throw error;
  }
  const body = keepOfferedMergeFields(draft.body.trim(), request.customValues);
  const subject = request.channel === 'email' ? keepOfferedMergeFields((draft.subject ?? '').trim(), request.customValues) : null;
  const max = request.channel === 'sms' ? AI_WRITE_SMS_MAX : AI_WRITE_EMAIL_MAX;
  if (body.text.length > max) throw new ApiError('AI_REQUEST_FAILED', `The AI wrote ${body.text.length} characters; ${request.channel === 'sms' ? 'a text' : 'an email'} may have at most ${max}. Ask for something shorter.`);
  if (subject && subject.text.length > AI_WRITE_SUBJECT_MAX) subject.text = subject.text.slice(0, AI_WRITE_SUBJECT_MAX).trimEnd();
  if (!body.text) throw new ApiError('AI_REQUEST_FAILED', 'The AI service answered with an empty draft. Try again with more detail.');
  return { subject: subject ? subject.text : null, body: body.text, removedMergeFields: [...new Set([...(subject?.removed ?? []), ...body.removed])], model: client.model };
}
