import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  file: string;
  raw: string;
}

export interface MailCatcher {
  host: string;
  port: number;
  /** Where each message lands as `<n>-<time>.eml`. */
  dir: string;
  /** Resolves with the next message caught after this call (tests). */
  next(): Promise<CaughtMail>;
  stop(): Promise<void>;
}

/**
 * A local SMTP catcher for development and tests: accepts any message on loopback and writes it
 * as a file instead of delivering it, so a developer (or the E2E) can read the code that was sent.
 * It never relays: nothing leaves the machine.
 */
export async function startMailCatcher(options: { dir: string; host?: string; port?: number }): Promise<MailCatcher> {
  mkdirSync(options.dir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  let counter = 0;
  const waiters: ((mail: CaughtMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        counter += 1;
        const name = `${String(counter).padStart(4, '0')}-${Date.now()}.eml`;
        const file = join(options.dir, name);
        // Written under another name, then renamed: a reader in another process (the Demo inbox, a
        // test reading the code) lists a .eml only once it is whole, never empty or half written.
        const partial = join(options.dir, `.${name}.partial`);
        writeFileSync(partial, raw);
        renameSync(partial, file);
        for (const waiter of waiters.splice(0)) waiter({ file, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host,
    port,
    dir: options.dir,
    next: () => new Promise((resolve) => waiters.push(resolve)),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text of a caught message (quoted-printable soft breaks undone), for reading codes. */
export function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
