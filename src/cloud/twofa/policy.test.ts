import { describe, expect, it } from 'vitest';
import type { VerificationChannel } from '../../shared/cloud/twofa';
import { chooseChannel, offeredChannels, type ChallengeRequest, type ChannelChoiceInput, type ChannelFacts, type Senders } from './policy';

const EMAIL = 'jordan@glowmedspa.example';
const PHONE = '+13105550100';
const NEW = '+13105550177';
const none: ChannelFacts = { emailVerified: false, phoneVerified: false, totpEnabled: false, backupCodesLeft: 0 };
const both: Senders = { email: true, sms: true };

const decide = (request: ChallengeRequest, facts: Partial<ChannelFacts> = {}, options: { phone?: string | null; senders?: Partial<Senders> } = {}) =>
  chooseChannel({ request, profile: { email: EMAIL, phone: options.phone === undefined ? PHONE : options.phone }, facts: { ...none, ...facts }, senders: { ...both, ...options.senders } });
const change = (channel: VerificationChannel, newPhone = NEW): ChallengeRequest => ({ purpose: 'phone_change', channel, newPhone });
const enrol = (channel: VerificationChannel): ChallengeRequest => ({ purpose: 'totp_enrol', channel });

describe('offeredChannels', () => {
  it.each([
    [{}, both, []],
    [{ emailVerified: true }, both, ['email']],
    [{ emailVerified: true }, { email: false, sms: true }, []],
    [{ phoneVerified: true }, both, ['sms']],
    [{ phoneVerified: true }, { email: true, sms: false }, []],
    [{ totpEnabled: true }, { email: false, sms: false }, ['totp']],
    [{ emailVerified: true, phoneVerified: true, totpEnabled: true }, both, ['email', 'sms', 'totp']],
    [{ backupCodesLeft: 5 }, both, []],
  ] as [Partial<ChannelFacts>, Senders, string[]][])('%j with senders %j → %j', (facts, senders, expected) => {
    expect(offeredChannels({ ...none, ...facts }, senders)).toEqual(expected);
  });
});

describe('chooseChannel: the table', () => {
  it.each([
    // step-up for a phone change
    ['no channel at all', change('email'), {}, {}, { ok: false, reason: 'no_channel' }],
    ['the same number', change('email', PHONE), { emailVerified: true }, {}, { ok: false, reason: 'same_number' }],
    ['verified email', change('email'), { emailVerified: true }, {}, { ok: true, channel: 'email', destination: EMAIL }],
    ['email without SMTP', change('email'), { emailVerified: true, totpEnabled: true }, { senders: { email: false } }, { ok: false, reason: 'channel_unavailable' }],
    ['unverified email', change('email'), { totpEnabled: true }, {}, { ok: false, reason: 'channel_unavailable' }],
    ['verified current phone', change('sms'), { phoneVerified: true }, {}, { ok: true, channel: 'sms', destination: PHONE }],
    ['unverified phone', change('sms'), { emailVerified: true }, {}, { ok: false, reason: 'sms_not_offered' }],
    ['no phone', change('sms'), { emailVerified: true }, { phone: null }, { ok: false, reason: 'sms_not_offered' }],
    ['verified phone, no SMS sender', change('sms'), { phoneVerified: true, emailVerified: true }, { senders: { sms: false } }, { ok: false, reason: 'sms_not_offered' }],
    ['authenticator', change('totp'), { totpEnabled: true }, {}, { ok: true, channel: 'totp', destination: null }],
    ['no authenticator', change('totp'), { emailVerified: true }, {}, { ok: false, reason: 'channel_unavailable' }],
    ['backup code left', change('backup_code'), { backupCodesLeft: 1 }, {}, { ok: true, channel: 'backup_code', destination: null }],
    ['no backup code left', change('backup_code'), { emailVerified: true }, {}, { ok: false, reason: 'channel_unavailable' }],
    // step-up for an authenticator enrolment
    ['enrol with nothing', enrol('email'), {}, {}, { ok: false, reason: 'no_channel' }],
    ['enrol via verified email', enrol('email'), { emailVerified: true }, {}, { ok: true, channel: 'email', destination: EMAIL }],
    ['enrol via verified phone', enrol('sms'), { phoneVerified: true }, {}, { ok: true, channel: 'sms', destination: PHONE }],
    ['enrol via the current authenticator', enrol('totp'), { totpEnabled: true }, {}, { ok: true, channel: 'totp', destination: null }],
    // verifying the profile's own addresses
    ['verify email', { purpose: 'verify_email' }, {}, {}, { ok: true, channel: 'email', destination: EMAIL }],
    ['verify an already verified email', { purpose: 'verify_email' }, { emailVerified: true }, {}, { ok: false, reason: 'already_verified' }],
    ['verify email without SMTP', { purpose: 'verify_email' }, {}, { senders: { email: false } }, { ok: false, reason: 'channel_unavailable' }],
    ['verify phone', { purpose: 'verify_phone' }, {}, {}, { ok: true, channel: 'sms', destination: PHONE }],
    ['verify phone with no phone', { purpose: 'verify_phone' }, {}, { phone: null }, { ok: false, reason: 'sms_not_offered' }],
    ['verify an already verified phone', { purpose: 'verify_phone' }, { phoneVerified: true }, {}, { ok: false, reason: 'already_verified' }],
    ['verify phone without an SMS sender', { purpose: 'verify_phone' }, {}, { senders: { sms: false } }, { ok: false, reason: 'channel_unavailable' }],
  ] as [string, ChallengeRequest, Partial<ChannelFacts>, { phone?: string | null; senders?: Partial<Senders> }, object][])('%s', (_name, request, facts, options, expected) => {
    expect(decide(request, facts, options)).toMatchObject(expected);
  });
});

describe('chooseChannel: every combination', () => {
  const bools = [false, true];
  const channels: VerificationChannel[] = ['email', 'sms', 'totp', 'backup_code'];
  const inputs: ChannelChoiceInput[] = [];
  for (const emailVerified of bools) for (const phoneVerified of bools) for (const totpEnabled of bools) for (const backupCodesLeft of [0, 3])
    for (const email of bools) for (const sms of bools) for (const phone of [null, PHONE]) {
      const facts = { emailVerified, phoneVerified: phoneVerified && phone !== null, totpEnabled, backupCodesLeft };
      const requests: ChallengeRequest[] = [
        { purpose: 'verify_email' },
        { purpose: 'verify_phone' },
        ...channels.flatMap((channel): ChallengeRequest[] => [change(channel), change(channel, PHONE), enrol(channel)]),
      ];
      for (const request of requests) inputs.push({ request, profile: { email: EMAIL, phone }, facts, senders: { email, sms } });
    }

  it(`holds the invariants for all ${2 ** 4 * 2 ** 2 * 2 * 14} inputs`, () => {
    expect(inputs.length).toBe(2 ** 4 * 2 ** 2 * 2 * 14);
    for (const input of inputs) {
      const choice = chooseChannel(input);
      const where = JSON.stringify(input);
      const { request, facts, senders, profile } = input;
      const offered = offeredChannels(facts, senders);
      if (!choice.ok) {
        expect(choice.message.length, where).toBeGreaterThan(10);
        if (choice.reason === 'no_channel') expect(offered.length === 0 && facts.backupCodesLeft === 0, where).toBe(true);
        continue;
      }
      // A code never goes to a number named in the request, nor to an address that is not the profile's own.
      if (request.purpose === 'phone_change') expect(choice.destination, where).not.toBe(request.newPhone);
      if (choice.channel === 'email') expect(choice.destination, where).toBe(profile.email);
      if (choice.channel === 'sms') expect(choice.destination, where).toBe(profile.phone);
      if (choice.channel === 'totp' || choice.channel === 'backup_code') expect(choice.destination, where).toBeNull();
      // A step-up uses only something already verified (or a backup code), over a sender the server has.
      if (request.purpose === 'phone_change' || request.purpose === 'totp_enrol') {
        expect(choice.channel, where).toBe(request.channel);
        if (choice.channel === 'backup_code') expect(facts.backupCodesLeft, where).toBeGreaterThan(0);
        else expect(offered, where).toContain(choice.channel);
        if (request.purpose === 'phone_change') expect(request.newPhone, where).not.toBe(profile.phone);
      }
      // Verifying an address sends to it only while it is not yet verified.
      if (request.purpose === 'verify_email') expect(!facts.emailVerified && senders.email, where).toBe(true);
      if (request.purpose === 'verify_phone') expect(!facts.phoneVerified && senders.sms && profile.phone !== null, where).toBe(true);
    }
  });

  it('refuses exactly when no allowed channel exists', () => {
    for (const input of inputs) {
      const { request, facts, senders, profile } = input;
      const offered = offeredChannels(facts, senders);
      let allowed: boolean;
      switch (request.purpose) {
        case 'verify_email':
          allowed = !facts.emailVerified && senders.email;
          break;
        case 'verify_phone':
          allowed = profile.phone !== null && !facts.phoneVerified && senders.sms;
          break;
        default:
          allowed =
            !(request.purpose === 'phone_change' && request.newPhone === profile.phone) &&
            (request.channel === 'backup_code' ? facts.backupCodesLeft > 0 : offered.includes(request.channel));
      }
      expect(chooseChannel(input).ok, JSON.stringify(input)).toBe(allowed);
    }
  });
});
