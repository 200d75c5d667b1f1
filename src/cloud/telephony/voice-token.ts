// The token module alone: the package's index also loads its REST client and axios (~150 ms of CPU at start).
import AccessToken from 'twilio/lib/jwt/AccessToken.js';
import type { TwilioTokenResponse } from '../../shared/cloud/auth';
import type { CloudConfig } from '../config';

/** A Twilio Voice access token for the softphone: identity = the user, incoming allowed, the TwiML app for outgoing. */
export function createVoiceAccessToken(config: CloudConfig, identity: string, now = Date.now()): TwilioTokenResponse {
  const ttl = config.twilio.accessTokenTtlSeconds;
  const token = new AccessToken(config.twilio.accountSid, config.twilio.apiKeySid, config.twilio.apiKeySecret, { identity, ttl });
  token.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: config.twilio.twimlAppSid }));
  return { token: token.toJwt(), identity, ttlSeconds: ttl, expiresAt: new Date(now + ttl * 1000).toISOString() };
}
