import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';

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
 *
 * Its port is listened on at once, but smtp-server (~55 ms of CPU, on the way to "Ready for calls"
 * in the embedded default: issue #21) is loaded on the first connection, which is then handed to it
 * as its own listener would (a 'connection' event on its unlistened server).
 */
export async function startMailCatcher(options: { dir: string; host?: string; port?: number }): Promise<MailCatcher> {
  mkdirSync(options.dir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  let counter = 0;
  const waiters: ((mail: CaughtMail) => void)[] = [];
  const smtpOptions: SMTPServerOptions = {
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
  };
  let smtp: Promise<SMTPServer> | undefined;
  const smtpServer = () => (smtp ??= import('smtp-server').then(({ SMTPServer }) => new SMTPServer(smtpOptions)));
  const listener = createServer((socket) => {
    // Until smtp-server has it: a client that drops the connection meanwhile is no error of ours.
    const dropped = () => socket.destroy();
    socket.on('error', dropped);
    smtpServer().then(
      (server) => {
        socket.off('error', dropped);
        server.server.emit('connection', socket);
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, host, () => resolve());
  });
  const address = listener.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host,
    port,
    dir: options.dir,
    next: () => new Promise((resolve) => waiters.push(resolve)),
    // The listener closes once its connections have; smtp-server ends the sessions still open (its grace period).
    stop: async () => {
      const closing = smtp?.then((server) => new Promise<void>((resolve) => server.close(() => resolve())), () => undefined);
      await Promise.all([new Promise<void>((resolve) => listener.close(() => resolve())), closing]);
    },
  };
}

/** The decoded text of a caught message (quoted-printable soft breaks undone), for reading codes. */
export function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
