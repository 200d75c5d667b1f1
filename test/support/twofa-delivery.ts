import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';

/** Reads 2FA codes where the embedded default delivers them: caught email files and the sandbox's messages. */

/** Quoted-printable soft breaks and escapes undone, enough to read a code. */
const mailText = (raw: string): string => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Every caught message in `<embeddedDir>/mail`, oldest first, decoded. */
export function caughtMails(embeddedDir: string): string[] {
  const dir = join(embeddedDir, 'mail');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((f) => mailText(readFileSync(join(dir, f), 'utf8')));
}

/** The code in the newest caught email to `to` (null when there is none yet). */
export function codeFromMail(embeddedDir: string, to: string): string | null {
  const mails = caughtMails(embeddedDir).filter((m) => new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(m) && /verification code is \d{6}/.test(m));
  const match = /verification code is (\d{6})/.exec(mails.at(-1) ?? '');
  return match ? match[1]! : null;
}

export interface SandboxMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
}

/** The messages the sandbox recorded (newest first, as Twilio lists them), through its REST API. */
export function sandboxMessages(embeddedDir: string, to?: string): Promise<SandboxMessage[]> {
  const info = JSON.parse(readFileSync(join(embeddedDir, 'sandbox.json'), 'utf8')) as { restBaseUrl: string; caPem: string };
  const url = new URL(`/2010-04-01/Accounts/${SANDBOX_TWILIO_CREDENTIALS.accountSid}/Messages.json`, info.restBaseUrl);
  if (to) url.searchParams.set('To', to);
  return new Promise((resolve, reject) => {
    get(url, { ca: info.caPem, auth: `${SANDBOX_TWILIO_CREDENTIALS.accountSid}:${SANDBOX_TWILIO_CREDENTIALS.authToken}` }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`sandbox messages: HTTP ${res.statusCode}`));
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: SandboxMessage[] };
        resolve(body.messages);
      });
    }).on('error', reject);
  });
}

/** The code in the newest SMS the sandbox recorded to `to`. */
export async function codeFromSms(embeddedDir: string, to: string): Promise<string | null> {
  const messages = await sandboxMessages(embeddedDir, to);
  const match = /code: (\d{6})/.exec(messages.find((m) => /code: \d{6}/.test(m.body))?.body ?? '');
  return match ? match[1]! : null;
}

/**
 * The embedded data folder of the app whose cloud answers at `cloudUrl`: E2E specs get the page,
 * not the folder, so they look among the fixture's temporary user-data folders for the one whose
 * sandbox.json names that cloud.
 */
export function findEmbeddedDir(cloudUrl: string, parent: string): string | null {
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith('softphone-e2e-')) continue;
    const dir = join(parent, entry, 'embedded');
    try {
      const info = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as { cloudUrl?: string };
      if (info.cloudUrl === cloudUrl) return dir;
    } catch {
      // not this one (or not started yet)
    }
  }
  return null;
}
