import { describe, expect, it } from 'vitest';
import { profileHandlers } from './profile';

/** The cloud's answer, as JSON, through the handler's own schema (what the real client does). */
const handlers = (answer: unknown, requests: Array<{ method: string; path: string; body: unknown }> = []) =>
  profileHandlers({
    session: { authed: (fn) => fn('token') },
    api: {
      call: (async (_token: string, method: string, path: string, body: unknown, schema: { parse(v: unknown): unknown }) => {
        requests.push({ method, path, body });
        return schema.parse(JSON.parse(JSON.stringify(answer)));
      }) as never,
    },
  });
const invoke = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

describe('profile (2FA) handlers', () => {
  it('hand a call-policy refusal of a texted code to the screen as a refusal with the cloud’s words', async () => {
    const refusal = {
      status: 'refused',
      reason: 'destination_not_allowed',
      message: 'The code cannot be texted to this number. Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy.',
    };
    const requests: Array<{ method: string; path: string; body: unknown }> = [];
    expect(await invoke(handlers(refusal, requests)['profile.startChannelVerification'], { channel: 'sms' })).toEqual(refusal);
    expect(requests).toEqual([{ method: 'POST', path: '/v1/2fa/challenges', body: { purpose: 'verify_phone' } }]);
    // The same refusal for a phone change to such a number, and for a resend.
    expect(await invoke(handlers(refusal)['profile.startPhoneChange'], { newPhone: '+18765550100', channel: 'email' })).toEqual(refusal);
    expect(await invoke(handlers(refusal)['profile.resend'], { challengeId: 'tfc_1' })).toEqual(refusal);
  });
});
