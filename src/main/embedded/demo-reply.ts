import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inboundEmailResultSchema } from '../../shared/cloud/inbound-email';
import { demoReplyInputSchema, type DemoReplyResult } from '../../shared/ipc/contract-demo-inbox';
import { MAX_FILE_BYTES, decodeWords, splitMessage } from './demo-inbox';

/** The practice's inbound email webhook, as the embedded cloud gives it (RunningCloud.inboundEmailInProcess). */
export interface InboundEmailDoor {
  url: string;
  sign(raw: Buffer): string;
}

const MESSAGE_ID = /<[^<>\s]+>/g;

/**
 * The Demo inbox's Reply: the demo contact answers a caught email as their mail client would
 * (In-Reply-To and References naming its Message-ID, From = the address it went to), and the
 * reply is posted — raw RFC 822, signed — to the practice's inbound email webhook, the path a real
 * mail provider takes. Whether it counts is the cloud's decision: only a reply to an email a
 * workflow sent is matched.
 */
export async function postDemoReply(mailDir: string, door: InboundEmailDoor, input: { id: string; text: string }): Promise<DemoReplyResult> {
  const { id, text } = demoReplyInputSchema.parse(input);
  const file = join(mailDir, id.slice('email:'.length));
  if (statSync(file).size > MAX_FILE_BYTES) throw new Error('That email is too large to be one the demo practice sent');
  const { headers } = splitMessage(readFileSync(file, 'utf8'));
  const messageId = (headers.get('message-id') ?? '').match(MESSAGE_ID)?.[0];
  if (!messageId) throw new Error('That email has no Message-ID, so a reply could not name it');
  const references = [...((headers.get('references') ?? '').match(MESSAGE_ID) ?? []), messageId];
  const subject = decodeWords(headers.get('subject') ?? '');
  // Loaded on the first Reply: nothing else at start needs nodemailer's composer (issue #21).
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const raw = await new MailComposer({
    from: decodeWords(headers.get('to') ?? ''),
    to: decodeWords(headers.get('from') ?? ''),
    subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
    text,
    inReplyTo: messageId,
    references,
    messageId: `<demo-reply-${randomUUID()}@demo-inbox.invalid>`,
  })
    .compile()
    .build();
  const response = await fetch(door.url, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-aesthetix-signature': door.sign(raw) }, body: raw });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (body as { detail?: string } | null)?.detail;
    throw new Error(`The cloud refused the reply (${response.status})${detail ? `: ${detail}` : ''}`);
  }
  const result = inboundEmailResultSchema.parse(body);
  return { matched: result.matched, duplicate: result.duplicate };
}
