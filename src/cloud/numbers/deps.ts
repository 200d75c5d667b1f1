import type { CloudContext } from '../context';
import { createTwilioClient } from '../telephony/rest';
import { webhookPaths } from '../telephony/webhook-params';
import { twilioNumberProvider, unconfiguredProvider, type NumberProvider, type NumberWebhooks } from './twilio-numbers';

/** What the numbers feature needs besides the database: Twilio, and where Twilio should send a number's calls. */
/** The part of the cloud's context the numbers feature uses (the automation worker has only these). */
export type NumbersContext = Pick<CloudContext, 'db' | 'config' | 'log' | 'publicUrl'>;

export interface NumbersDeps {
  ctx: NumbersContext;
  provider(): NumberProvider;
  /** Every number the practice owns answers through the cloud's inbound webhook. */
  webhooks(): NumberWebhooks;
  /** What `webhooks()` is now, as stored on a number pointed at it (phone_numbers.webhooks_set; see webhooks-job.ts). */
  webhooksSet(): string;
}

/** Bumped when the webhooks a number is given change, so the webhooks job points every number at the new set (2: the voice fallback URL). */
export const WEBHOOKS_VERSION = 2;

export function numbersDeps(ctx: NumbersContext, provider?: NumberProvider): NumbersDeps {
  // Built on first use: a cloud that never touches numbers never builds a Twilio client for them.
  let built = provider;
  return {
    ctx,
    provider: () => (built ??= providerFor(ctx)),
    webhooks: () => {
      const base = ctx.publicUrl().replace(/\/$/, '');
      return { voiceUrl: base + webhookPaths.inbound, voiceFallbackUrl: base + webhookPaths.fallback, statusCallback: base + webhookPaths.status };
    },
    // A moved public URL counts as a new set too: the job re-points the numbers at it.
    webhooksSet: () => `v${WEBHOOKS_VERSION} ${ctx.publicUrl().replace(/\/$/, '')}`,
  };
}

const TWILIO_API = /^https:\/\/api\.twilio\.com\/?$/;

function providerFor(ctx: NumbersContext): NumberProvider {
  if (ctx.config.sandbox && TWILIO_API.test(ctx.config.twilio.restBaseUrl)) {
    return unconfiguredProvider('Phone numbers need Twilio: this cloud runs in sandbox mode without a sandbox REST URL (TWILIO_REST_BASE_URL).');
  }
  return twilioNumberProvider(createTwilioClient(ctx.config));
}
