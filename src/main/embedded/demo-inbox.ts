import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoMessage } from '../../shared/ipc/contract-demo-inbox';

export const MAX_FILE_BYTES = 256 * 1024;
const MAX_BODY_CHARS = 4000;

/** RFC 2047 encoded words (`=?utf-8?Q?…?=`, `=?utf-8?B?…?=`), as nodemailer writes non-ASCII headers. */
export function decodeWords(value: string): string {
  // Whitespace between two encoded words is folding, not text (RFC 2047 §6.2).
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i++) {
    const hex = input[i] === '=' ? input.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(input[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers (unfolded, lower-case names) and the rest. */
export function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** An HTML-only body as readable text: the open pixel and other images, styles and scripts dropped; paragraphs and line breaks kept. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<img\b[^>]*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
      if (name[0] === '#') return String.fromCodePoint(name[1]!.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? all;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const decoded = decodeTransfer(headers, body);
  return /^text\/html/i.test(headers.get('content-type') ?? '') ? htmlToText(decoded) : decoded;
}

function decodeTransfer(headers: Map<string, string>, body: string): string {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    // The text/plain part where there is one; an HTML-only part is shown as readable text.
    const parts = body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).map((p) => splitMessage(p.replace(/^\r?\n/, '')));
    const part = parts.find((p) => /^text\/plain/i.test(p.headers.get('content-type') ?? 'text/plain')) ?? parts[0];
    return part ? decodeBody(part.headers, part.body) : '';
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** One caught email (an .eml file the mail catcher wrote) as the Demo inbox shows it. */
export function parseEml(raw: string, fallback: { id: string; sentAt: string }): DemoMessage {
  const { headers, body } = splitMessage(raw);
  const date = headers.get('date');
  const sentAt = date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : fallback.sentAt;
  const text = decodeBody(headers, body).replace(/\r\n/g, '\n').trim();
  return {
    id: fallback.id,
    channel: 'email',
    to: decodeWords(headers.get('to') ?? ''),
    subject: decodeWords(headers.get('subject') ?? '') || null,
    body: text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS - 1)}…` : text,
    sentAt,
    // A reply names the message it answers by its Message-ID (demo-reply.ts).
    canReply: /<[^<>\s]+>/.test(headers.get('message-id') ?? ''),
  };
}

/**
 * The newest `limit` emails in the mail catcher's folder (`<n>-<ms>.eml`), newest first. A file
 * that cannot be read, or is too large to be one of ours, is left out; a missing folder is no mail.
 */
export function readCaughtMail(dir: string, limit: number): DemoMessage[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /^\d+-\d+\.eml$/.test(name));
  } catch {
    return [];
  }
  const newest = names.map((name) => ({ name, n: Number(name.split('-')[0]), ms: Number(name.slice(name.indexOf('-') + 1, -4)) }))
    .sort((a, b) => b.ms - a.ms || b.n - a.n);
  const messages: DemoMessage[] = [];
  for (const { name, ms } of newest) {
    if (messages.length >= limit) break;
    const file = join(dir, name);
    try {
      if (statSync(file).size > MAX_FILE_BYTES) continue;
      messages.push(parseEml(readFileSync(file, 'utf8'), { id: `email:${name}`, sentAt: new Date(ms).toISOString() }));
    } catch {
      // removed meanwhile, or unreadable: not shown
    }
  }
  return messages;
}
