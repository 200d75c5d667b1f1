import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAccessToken, type ApiKey } from './access-token';
import { mintAccessToken } from './mint-token';

const key: ApiKey = { sid: 'SK00000000000000000000000000000001', secret: 'shh-secret', accountSid: 'AC00000000000000000000000000000001' };
const find = (sid: string): ApiKey | undefined => (sid === key.sid ? key : undefined);
const mint = (over: Partial<Parameters<typeof mintAccessToken>[0]> = {}): string =>
  mintAccessToken({ accountSid: key.accountSid, apiKeySid: key.sid, apiKeySecret: key.secret, identity: 'alice', outgoingApplicationSid: 'AP1', ...over });

describe('access token verification', () => {
  it('accepts a token minted by the twilio library and reads its grants', () => {
    const result = verifyAccessToken(mint(), find);
    expect(result).toMatchObject({ ok: true, token: { identity: 'alice', incomingAllowed: true, outgoingApplicationSid: 'AP1' } });
  });

  it('rejects a wrong secret with 31204', () => {
    expect(verifyAccessToken(mint({ apiKeySecret: 'wrong' }), find)).toMatchObject({ ok: false, code: 31204 });
  });

  it('rejects an expired token with 31205', () => {
    const token = mint({ ttlSeconds: 60 });
    expect(verifyAccessToken(token, find, Date.now() + 61_000)).toMatchObject({ ok: false, code: 31205 });
  });

  it('rejects an unknown API key with 31201 and garbage with 31204', () => {
    expect(verifyAccessToken(mint({ apiKeySid: 'SKunknown' }), find)).toMatchObject({ ok: false, code: 31201 });
    expect(verifyAccessToken('not.a.jwt', find)).toMatchObject({ ok: false, code: 31204 });
  });

  it('rejects alg none', () => {
    const b = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b({ alg: 'none' })}.${b({ iss: key.sid, sub: key.accountSid, exp: 9e9, grants: { identity: 'x' } })}`;
    const sig = createHmac('sha256', key.secret).update(body).digest('base64url');
    expect(verifyAccessToken(`${body}.${sig}`, find)).toMatchObject({ ok: false, code: 31204 });
  });
});
