import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { mailText, startMailCatcher, type MailCatcher } from './mail-catcher';

describe('mail catcher', () => {
  let dir: string | undefined;
  let catcher: MailCatcher | undefined;
  afterEach(async () => {
    await catcher?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes each message whole as <n>-<ms>.eml, with nothing else left in its folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mail-catcher-'));
    catcher = await startMailCatcher({ dir: join(dir, 'mail') });
    const transport = nodemailer.createTransport({ host: catcher.host, port: catcher.port, secure: false, ignoreTLS: true });
    const texts = ['Your verification code is 123456', 'Your verification code is 654321 ' + 'x'.repeat(200_000)];
    for (const [i, text] of texts.entries()) {
      const caught = catcher.next();
      await transport.sendMail({ from: 'noreply@spa.example', to: 'jordan@spa.example', subject: `Code ${i}`, text });
      const { file, raw } = await caught;
      expect(readFileSync(file, 'utf8')).toBe(raw);
      expect(mailText(raw)).toContain(text.slice(0, 40));
    }
    transport.close();
    const names = readdirSync(catcher.dir).sort();
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d+\.eml$/);
  });
});

describe('mail catcher start and stop', () => {
  it('answers a connection with the SMTP greeting (smtp-server loaded on it), and stops with a session open or none ever made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mail-catcher-'));
    try {
      const idle = await startMailCatcher({ dir: join(dir, 'idle') });
      await idle.stop();
      const catcher = await startMailCatcher({ dir: join(dir, 'mail') });
      const socket = connect(catcher.port, catcher.host);
      const greeting = await new Promise<string>((resolve, reject) => {
        socket.once('data', (data: Buffer) => resolve(data.toString('utf8')));
        socket.once('error', reject);
      });
      expect(greeting).toMatch(/^220 /);
      const closed = new Promise((resolve) => socket.once('close', resolve));
      const stopped = catcher.stop();
      socket.end('QUIT\r\n');
      await Promise.all([stopped, closed]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
