import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readInboundHeaders } from './inbound-email';

const mail = (headers: string[], body = 'SECRET-BODY-TEXT') => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`);

describe('readInboundHeaders', () => {
  it('reads the Message-ID, the ids it answers (In-Reply-To first, then References newest first) and the sender', async () => {
    const raw = mail([
      'From: "Eli Moss" <eli@example.com>',
      'To: front@spa.example',
      'Subject: Re: your visit',
      'Message-ID: <reply-1@mail.example>',
      'In-Reply-To: <sent-3@spa.example>',
      'References: <sent-1@spa.example> <sent-2@spa.example> <sent-3@spa.example>',
    ]);
    expect(await readInboundHeaders(raw)).toEqual({
      messageKey: '<reply-1@mail.example>',
      answers: ['<sent-3@spa.example>', '<sent-2@spa.example>', '<sent-1@spa.example>'],
      from: 'eli@example.com',
    });
  });

  it('keys a message without a Message-ID by its hash, so it still counts once', async () => {
    const raw = mail(['From: eli@example.com', 'Subject: hi']);
    const read = await readInboundHeaders(raw);
    expect(read).toEqual({ messageKey: `sha256:${createHash('sha256').update(raw).digest('hex')}`, answers: [], from: 'eli@example.com' });
    // The same parser is loaded once and serves later messages too.
    expect((await readInboundHeaders(mail(['Message-ID: <x@y>']))).messageKey).toBe('<x@y>');
  });

  it('reads headers only: a body that is not MIME does not stop it', async () => {
    const raw = mail(['Message-ID: <m@x>', 'Content-Type: multipart/mixed; boundary="b"'], '--b\r\nbroken');
    expect((await readInboundHeaders(raw)).messageKey).toBe('<m@x>');
  });
});
