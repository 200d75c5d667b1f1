import type { CloudContext } from '../context';
import { createSmtpEmailSender, createTwilioSmsSender, type EmailSender, type SmsSender } from './delivery';
import type { FeatureRoutes } from '../http/router';
import { twoFactorRoutes } from './routes';
import { resealTotpSecrets } from './keys';
import { TwoFactorService } from './service';

export type { EmailSender, SmsSender, OutgoingEmail, OutgoingSms } from './delivery';
export { TwoFactorService } from './service';
export { totpCodeAt } from './totp';

export interface TwoFactorOptions {
  /** Replace the clock (tests). */
  now?: () => number;
  /** Replace the email adapter; default: SMTP from config (null when none is configured). */
  email?: EmailSender | null;
  /** Replace the SMS adapter; default: Twilio's Messages API from config (the sandbox in development). */
  sms?: SmsSender | null;
}

/** How often held phone changes that are due are applied. */
const HOLD_SWEEP_MS = 60_000;

/**
 * Builds the service with the configured adapters; returns its routes (/v1/2fa/*). Starts the
 * sweep that applies held phone changes; `onClose` registers its stop with the server's shutdown.
 */
export async function installTwoFactor(ctx: CloudContext, options: TwoFactorOptions = {}, onClose?: (stop: () => Promise<void>) => void): Promise<FeatureRoutes> {
  const email = options.email !== undefined ? options.email : createSmtpEmailSender(ctx.config);
  if (!email) ctx.log.warn('No SMTP server configured (SMTP_HOST): email is not offered as a two-factor channel');
  const resealed = await resealTotpSecrets(ctx.db, ctx.keys);
  if (resealed > 0) ctx.log.info({ resealed }, 'authenticator secrets re-sealed under the current key');
  const service = new TwoFactorService({
    db: ctx.db,
    log: ctx.log,
    now: options.now ?? Date.now,
    email,
    sms: options.sms !== undefined ? options.sms : createTwilioSmsSender(ctx.config),
    smsFrom: ctx.config.twoFactor.smsFrom,
    keys: ctx.keys,
  });
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = service.applyDue().catch((error: unknown) => ctx.log.warn({ err: error }, 'applying held phone changes failed; retried in a minute'));
  }, HOLD_SWEEP_MS);
  timer.unref();
  onClose?.(async () => {
    clearInterval(timer);
    await sweeping;
  });
  return twoFactorRoutes(service);
}
