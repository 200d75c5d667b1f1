import { createRequire } from 'node:module';
import type nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { CloudConfig } from '../config';
import { createTwilioClient } from '../telephony/rest';

/** Ports the two-factor service delivers through; the adapters below are the real ones. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}
export interface EmailSender {
  send(mail: OutgoingEmail): Promise<void>;
}
export interface OutgoingSms {
  to: string;
  from: string;
  body: string;
}
export interface SmsSender {
  send(sms: OutgoingSms): Promise<void>;
}

// nodemailer and the Twilio client are loaded on the first code sent, not when the cloud starts
// (~100 ms and ~200 ms of CPU that a start does not need).
const requireHere = createRequire(import.meta.url);

/** Email over SMTP (nodemailer): the real mail server in production, the local catcher in development. */
export function createSmtpEmailSender(config: CloudConfig): EmailSender | null {
  const smtp = config.twoFactor.smtp;
  if (!smtp) return null;
  let transport: Transporter | undefined;
  const connect = () => (requireHere('nodemailer') as typeof nodemailer).createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    // A real server must speak TLS; only a loopback catcher may be plaintext.
    requireTLS: !smtp.secure && !smtp.allowPlaintext,
    ignoreTLS: smtp.allowPlaintext,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      transport ??= connect();
      await transport.sendMail({ from: config.twoFactor.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/** SMS through Twilio's Messages API: the sandbox in development and tests (restBaseUrl), Twilio in production. */
export function createTwilioSmsSender(config: CloudConfig): SmsSender {
  let client: ReturnType<typeof createTwilioClient> | undefined;
  return {
    async send(sms) {
      client ??= createTwilioClient(config);
      await client.messages.create({ to: sms.to, from: sms.from, body: sms.body });
    },
  };
}
