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
}

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
  };
}

const TWILIO_API = /^https:\/\/api\.twilio\.com\/?$/;

function providerFor(ctx: NumbersContext): NumberProvider {
  if (ctx.config.sandbox && TWILIO_API.test(ctx.config.twilio.restBaseUrl)) {
    return unconfiguredProvider('Phone numbers need Twilio: this cloud runs in sandbox mode without a sandbox REST URL (TWILIO_REST_BASE_URL).');
  }
  return twilioNumberProvider(createTwilioClient(ctx.config));
}
