// Mints access tokens with the official twilio library, exactly as a cloud API would.
import twilio from 'twilio';

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
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(o.accountSid, o.apiKeySid, o.apiKeySecret, { identity: o.identity, ttl: o.ttlSeconds ?? 3600 });
  token.addGrant(
    new AccessToken.VoiceGrant({
      incomingAllow: o.incomingAllow ?? true,
      ...(o.outgoingApplicationSid ? { outgoingApplicationSid: o.outgoingApplicationSid } : {}),
    }),
  );
  return token.toJwt();
}
