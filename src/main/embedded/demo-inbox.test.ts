import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEml, readCaughtMail } from './demo-inbox';

const compose = (mail: ConstructorParameters<typeof MailComposer>[0]): Promise<string> =>
  new Promise((resolve, reject) => new MailComposer(mail).compile().build((error, message) => (error ? reject(error) : resolve(message.toString()))));

describe('Demo inbox: the mail catcher’s files', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what nodemailer sent: recipient, subject, date and text, accents and long lines included', async () => {
    const raw = await compose({
      from: 'no-reply@aesthetix.example',
      to: 'jordan@glowmedspa.example',
      subject: 'Your Aesthetix verification code — résumé',
      text: `Your code is 482913. It expires in 10 minutes.\n${'Long line '.repeat(20)}é`,
      date: new Date('2026-12-01T17:00:00Z'),
    });
    const message = parseEml(raw, { id: 'email:1', sentAt: '2000-01-01T00:00:00.000Z' });
    expect(message).toMatchObject({
      id: 'email:1',
      channel: 'email',
      to: 'jordan@glowmedspa.example',
      subject: 'Your Aesthetix verification code — résumé',
      sentAt: '2026-12-01T17:00:00.000Z',
    });
    expect(message.body).toContain('Your code is 482913.');
    expect(message.body).toContain(`${'Long line '.repeat(20).trim()} é`.slice(-20));
  });

  it('shows an HTML-only email (a workflow’s, with its open pixel) as readable text; the text part where there is one', async () => {
    const html = '<p>Hi Bea &lt;b&gt; &amp; co,</p><p>See you Monday.<br>Glow Med Spa</p><p><a href="http://127.0.0.1:1/l/x">Directions</a></p><img src="http://127.0.0.1:1/o/abc.gif" width="1" height="1" alt="">';
    const htmlOnly = parseEml(await compose({ from: 'hello@glowmedspa.example', to: 'bea@example.com', subject: 'Booked', html }), { id: 'email:2', sentAt: '2000-01-01T00:00:00.000Z' });
    expect(htmlOnly.body).toBe('Hi Bea <b> & co,\n\nSee you Monday.\nGlow Med Spa\n\nDirections');
    const both = parseEml(await compose({ from: 'hello@glowmedspa.example', to: 'bea@example.com', subject: 'Booked', html, text: 'Hi Bea, as typed.' }), { id: 'email:3', sentAt: '2000-01-01T00:00:00.000Z' });
    expect(both.body).toBe('Hi Bea, as typed.');
  });

  it('lists the newest first, at most `limit`, and skips what it cannot read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-inbox-'));
    for (const [n, ms, code] of [[1, 1000, '111111'], [2, 3000, '333333'], [3, 2000, '222222']] as const) {
      writeFileSync(join(dir, `${String(n).padStart(4, '0')}-${ms}.eml`), await compose({ to: 'a@example.test', subject: 'Code', text: `Code ${code}` }));
    }
    writeFileSync(join(dir, 'notes.txt'), 'not a message');
    writeFileSync(join(dir, '0009-9999.eml'), 'x'.repeat(300 * 1024));
    const list = readCaughtMail(dir, 2);
    expect(list.map((m) => m.body)).toEqual(['Code 333333', 'Code 222222']);
    expect(readCaughtMail(join(dir, 'missing'), 5)).toEqual([]);
  });
});
