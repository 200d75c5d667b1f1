// Mints access tokens with the official twilio library, exactly as a cloud API would.
// The token module alone, not the package's index (its REST client and axios, ~150 ms of CPU at start).
import AccessToken from 'twilio/lib/jwt/AccessToken.js';

export interface MintTokenOptions {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  identity: string;
  ttlSeconds?: number;
  outgoingApplicationSid?: string;
  incomingAllow?: boolean;
}

export function mintAccessToken(o: MintTokenOptions): string {
  const token = new AccessToken(o.accountSid, o.apiKeySid, o.apiKeySecret, { identity: o.identity, ttl: o.ttlSeconds ?? 3600 });
  token.addGrant(
    new AccessToken.VoiceGrant({
      incomingAllow: o.incomingAllow ?? true,
      ...(o.outgoingApplicationSid ? { outgoingApplicationSid: o.outgoingApplicationSid } : {}),
    }),
  );
  return token.toJwt();
}
