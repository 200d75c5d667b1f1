// IncomingPhoneNumbers: buy (by PhoneNumber, or by AreaCode on the list resource), list (filters
// PhoneNumber, FriendlyName, Origin, Beta; paged), fetch,
// update, release — on the list resource and on its Local / TollFree / Mobile subresources.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { AvailableNumber } from '../state/inventory';
import { isTollFreeNanpCode, isValidNanpAreaCode, type NumberType } from '../state/numbering-plan';
import { addIncomingNumber } from '../state/resources';
import type { IncomingNumber } from '../state/store';
import { notFound, TwilioRestError } from './errors';
import { httpMethod, parseForm } from './form';
import { page } from './paging';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { numberJson } from './serialize';

const optionalUrl = z.union([z.url(), z.literal('')]).optional();
const numberFields = {
  FriendlyName: z.string().max(64).optional(),
  VoiceUrl: optionalUrl,
  VoiceMethod: httpMethod,
  VoiceApplicationSid: z.string().optional(),
  VoiceFallbackUrl: optionalUrl,
  VoiceFallbackMethod: httpMethod,
  StatusCallback: optionalUrl,
  StatusCallbackMethod: httpMethod,
  SmsUrl: optionalUrl,
  AddressSid: z.string().optional(),
};
const buySchema = z.object({ PhoneNumber: z.string().optional(), AreaCode: z.string().optional(), ...numberFields });
const updateSchema = z.object(numberFields);

const SUBRESOURCES: Array<[segment: string, type: NumberType]> = [['Local', 'local'], ['TollFree', 'toll-free'], ['Mobile', 'mobile']];

/** Twilio 21405: a fallback only makes sense for a voice URL that can fail. */
function requireVoiceUrlForFallback(voiceUrl: string, voiceFallbackUrl: string): void {
  if (voiceFallbackUrl && !voiceUrl) throw new TwilioRestError(400, 21405, 'Cannot set VoiceFallbackUrl without setting Url');
}

const notAvailable = (phoneNumber: string): TwilioRestError => new TwilioRestError(400, 21422, `PhoneNumber ${phoneNumber} is not available.`);

/** `PhoneNumber` list filter: digits with `*` for any digit, matching part of the number, as Twilio allows. */
function phoneFilter(raw: string | undefined): (n: IncomingNumber) => boolean {
  if (!raw) return () => true;
  const pattern = new RegExp(raw.replace(/[^0-9*]/g, '').replace(/\*/g, '\\d'));
  return (n) => pattern.test(n.phoneNumber.replace(/^\+/, ''));
}

export function registerNumberRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const inventory = ctx.store.inventory;
  const base = '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers';

  /** Picks the number a purchase asks for, or throws the error Twilio documents for why it can't. */
  function choose(form: z.infer<typeof buySchema>, type: NumberType | null): AvailableNumber {
    if (form.PhoneNumber !== undefined) {
      const wanted = form.PhoneNumber.trim();
      if (!/^\+[1-9]\d{6,14}$/.test(wanted) || !parsePhoneNumberFromString(wanted)?.isValid()) throw new TwilioRestError(400, 21421, `PhoneNumber ${wanted} is not a valid phone number.`);
      const offered = inventory.get(wanted);
      // A number of another type through a typed subresource is not on sale there.
      if (offered && type && offered.type !== type) throw notAvailable(wanted);
      const taken = inventory.take(wanted);
      if (!taken.ok) {
        ctx.events.emitEvent('number.purchase-failed', { phoneNumber: wanted, reason: taken.reason });
        throw notAvailable(wanted);
      }
      return taken.number;
    }
    if (form.AreaCode === undefined) throw new TwilioRestError(400, 21421, 'A PhoneNumber or an AreaCode is required.');
    // The typed subresources buy a specific number only.
    if (type) throw new TwilioRestError(400, 21457, 'The AreaCode parameter is not supported on this subresource; use PhoneNumber.');
    const code = form.AreaCode;
    if (!/^\d{3}$/.test(code) || !isValidNanpAreaCode(code)) throw new TwilioRestError(400, 21451, `AreaCode ${code} is not a valid North American area code.`);
    const tollFree = isTollFreeNanpCode(code);
    const candidates = (['US', 'CA'] as const).flatMap((country) => inventory.search({ country, type: tollFree ? 'toll-free' : 'local', areaCode: code }));
    for (const candidate of candidates) {
      const taken = inventory.take(candidate.phoneNumber);
      if (taken.ok) return taken.number;
    }
    throw new TwilioRestError(400, 21452, `No phone numbers found in area code ${code}.`);
  }

  async function buy(req: FastifyRequest, type: NumberType | null): Promise<Record<string, unknown>> {
    authenticate(deps, req);
    const form = parseForm(buySchema, req.body);
    if (form.VoiceApplicationSid && !ctx.store.applications.has(form.VoiceApplicationSid)) throw new TwilioRestError(400, 21606, 'VoiceApplicationSid is not valid');
    // Checked before choosing: a refused purchase must not take the number off sale.
    requireVoiceUrlForFallback(form.VoiceUrl ?? '', form.VoiceFallbackUrl ?? '');
    const wanted = choose(form, type);
    const number = addIncomingNumber(ctx.store, ctx.settings.accountSid, {
      phoneNumber: wanted.phoneNumber,
      capabilities: wanted.capabilities,
      numberType: wanted.type,
      addressRequirements: wanted.addressRequirements,
      ...(form.FriendlyName ? { friendlyName: form.FriendlyName } : {}),
      ...(form.VoiceUrl !== undefined ? { voiceUrl: form.VoiceUrl } : {}),
      ...(form.VoiceMethod ? { voiceMethod: form.VoiceMethod } : {}),
      ...(form.VoiceApplicationSid ? { voiceApplicationSid: form.VoiceApplicationSid } : {}),
      ...(form.VoiceFallbackUrl !== undefined ? { voiceFallbackUrl: form.VoiceFallbackUrl } : {}),
      ...(form.VoiceFallbackMethod ? { voiceFallbackMethod: form.VoiceFallbackMethod } : {}),
      ...(form.StatusCallback !== undefined ? { statusCallback: form.StatusCallback } : {}),
      ...(form.StatusCallbackMethod ? { statusCallbackMethod: form.StatusCallbackMethod } : {}),
      ...(form.SmsUrl !== undefined ? { smsUrl: form.SmsUrl } : {}),
    });
    ctx.events.emitEvent('number.bought', { sid: number.sid, phoneNumber: number.phoneNumber, type: number.numberType });
    return numberJson(number);
  }

  function listOf(req: FastifyRequest, type: NumberType | null): Record<string, unknown> {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const matches = phoneFilter(q.PhoneNumber);
    // Every sandbox number is bought from Twilio's inventory (origin `twilio`) and none is in beta,
    // so Origin=hosted and Beta=true match nothing, as on an account without hosted or beta numbers.
    const numbers = [...ctx.store.numbers.values()].filter(
      (n) =>
        (!type || n.numberType === type) && matches(n) && (!q.FriendlyName || n.friendlyName === q.FriendlyName) &&
        (!q.Origin || q.Origin === 'twilio') && (q.Beta === undefined || q.Beta.toLowerCase() !== 'true'),
    );
    return page('incoming_phone_numbers', req.url, numbers.map(numberJson));
  }

  app.post(base + '.json', async (req, reply) => reply.code(201).send(await buy(req, null)));
  app.get(base + '.json', async (req) => listOf(req, null));
  for (const [segment, type] of SUBRESOURCES) {
    app.post(`${base}/${segment}.json`, async (req, reply) => reply.code(201).send(await buy(req, type)));
    app.get(`${base}/${segment}.json`, async (req) => listOf(req, type));
  }

  app.get(base + '/:Sid', async (req) => {
    authenticate(deps, req);
    const n = ctx.store.numbers.get(sidOf((req.params as { Sid: string }).Sid));
    if (!n) throw notFound(req.url);
    return numberJson(n);
  });

  app.post(base + '/:Sid', async (req) => {
    authenticate(deps, req);
    const n = ctx.store.numbers.get(sidOf((req.params as { Sid: string }).Sid));
    if (!n) throw notFound(req.url);
    const form = parseForm(updateSchema, req.body);
    if (form.VoiceApplicationSid && !ctx.store.applications.has(form.VoiceApplicationSid)) throw new TwilioRestError(400, 21606, 'VoiceApplicationSid is not valid');
    // Judged on the number as it would end up, before anything changes.
    requireVoiceUrlForFallback(form.VoiceUrl ?? n.voiceUrl, form.VoiceFallbackUrl ?? n.voiceFallbackUrl);
    if (form.FriendlyName !== undefined) n.friendlyName = form.FriendlyName;
    if (form.VoiceUrl !== undefined) n.voiceUrl = form.VoiceUrl;
    if (form.VoiceMethod) n.voiceMethod = form.VoiceMethod;
    if (form.VoiceApplicationSid !== undefined) n.voiceApplicationSid = form.VoiceApplicationSid || null;
    if (form.VoiceFallbackUrl !== undefined) n.voiceFallbackUrl = form.VoiceFallbackUrl;
    if (form.VoiceFallbackMethod) n.voiceFallbackMethod = form.VoiceFallbackMethod;
    if (form.StatusCallback !== undefined) n.statusCallback = form.StatusCallback;
    if (form.StatusCallbackMethod) n.statusCallbackMethod = form.StatusCallbackMethod;
    if (form.SmsUrl !== undefined) n.smsUrl = form.SmsUrl;
    n.dateUpdated = new Date();
    return numberJson(n);
  });

  // Releasing a number puts it back on sale: this account (or, through the control API, another
  // customer) can buy it again.
  app.delete(base + '/:Sid', async (req, reply) => {
    authenticate(deps, req);
    const sid = sidOf((req.params as { Sid: string }).Sid);
    const n = ctx.store.numbers.get(sid);
    if (!n) throw notFound(req.url);
    ctx.store.numbers.delete(sid);
    inventory.putBack(n.phoneNumber);
    ctx.events.emitEvent('number.released', { sid, phoneNumber: n.phoneNumber });
    return reply.code(204).send();
  });
}
