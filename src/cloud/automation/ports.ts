import type { WebClient } from '@slack/web-api';
import { createRequire } from 'node:module';
import type nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import type { CloudConfig } from '../config';
import { SecretBox } from '../secret-box';
import { newWebClient } from '../slack/web-api';
import { createTwilioClient } from '../telephony/rest';

/** nodemailer is loaded with the first transport (the workers start after the phone is ready). */
const requireHere = createRequire(import.meta.url);

/**
 * The outside systems actions reach, through their official clients. Production points them at
 * the real services by configuration; development and tests at the local stand-ins (the Twilio
 * sandbox, the Slack stand-in, the SMTP catcher). A port that is not configured says so (null)
 * instead of pretending to send.
 */
export interface AutomationPorts {
  /** The official `twilio` client (REST base from config: the sandbox in development). */
  twilio(): Twilio;
  /** SMTP (nodemailer); null when no mail server is configured. */
  mail(): Transporter | null;
  /** The official Slack client for one workspace's token (`automation.slackApiUrl`: the stand-in in development). */
  slack(token: string): WebClient;
  /** The cloud's public URL: status callbacks, tracking pixels and links point here. */
  publicUrl(): string;
  /** Opens integration tokens sealed in the database (Slack); null when CLOUD_SECRETS_KEY is not set. */
  secrets(): SecretBox | null;
}

export function createAutomationPorts(config: CloudConfig, publicUrl: () => string): AutomationPorts {
  let twilioClient: Twilio | undefined;
  let transport: Transporter | null | undefined;
  return {
    twilio() {
      twilioClient ??= createTwilioClient(config);
      return twilioClient;
    },
    mail() {
      if (transport === undefined) {
        const smtp = config.twoFactor.smtp;
        transport = smtp
          ? (requireHere('nodemailer') as typeof nodemailer).createTransport({
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
            })
          : null;
      }
      return transport;
    },
    slack(token) {
      return newWebClient(token, { slackApiUrl: config.automation.slackApiUrl, retryConfig: { retries: 0 } });
    },
    publicUrl,
    secrets: () => SecretBox.fromConfig(config),
  };
}
