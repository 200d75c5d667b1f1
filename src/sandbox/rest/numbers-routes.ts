// AvailablePhoneNumbers search and IncomingPhoneNumbers buy / update / release.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addIncomingNumber } from '../state/resources';
import { searchInventory, type AvailableNumber } from '../state/inventory';
import { notFound, TwilioRestError } from './errors';
import { bool, httpMethod, parseForm } from './form';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { numberJson, page } from './serialize';

const searchSchema = z.object({
  AreaCode: z.string().regex(/^\d{3}$/).optional(),
  Contains: z.string().regex(/^\+?[0-9a-zA-Z*]{2,}$/, 'Contains must be at least two of 0-9, a-z, *').optional(),
  SmsEnabled: bool,
  MmsEnabled: bool,
  VoiceEnabled: bool,
  InRegion: z.string().optional(),
  InPostalCode: z.string().optional(),
  PageSize: z.coerce.number().int().min(1).max(1000).default(50),
});

const numberFields = {
  FriendlyName: z.string().max(64).optional(),
  VoiceUrl: z.union([z.url(), z.literal('')]).optional(),
  VoiceMethod: httpMethod,
  VoiceApplicationSid: z.string().optional(),
  StatusCallback: z.union([z.url(), z.literal('')]).optional(),
  StatusCallbackMethod: httpMethod,
  SmsUrl: z.union([z.url(), z.literal('')]).optional(),
};
const buySchema = z.object({ PhoneNumber: z.string().optional(), AreaCode: z.string().regex(/^\d{3}$/).optional(), ...numberFields });
const updateSchema = z.object(numberFields);

function availableJson(n: AvailableNumber): Record<string, unknown> {
  return {
    friendly_name: n.phoneNumber.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3'),
    phone_number: n.phoneNumber,
    lata: null,
    locality: n.locality || null,
    rate_center: n.rateCenter || null,
    latitude: n.latitude,
    longitude: n.longitude,
    region: n.region || null,
    postal_code: n.postalCode || null,
    iso_country: 'US',
    address_requirements: 'none',
    beta: false,
    capabilities: { voice: n.capabilities.voice, sms: n.capabilities.sms, mms: n.capabilities.mms, fax: n.capabilities.fax },
  };
}

export function registerNumberRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid';

  app.get(base + '/AvailablePhoneNumbers/:Country/:Type', async (req) => {
    authenticate(deps, req);
    const { Country, Type } = req.params as { Country: string; Type: string };
    const type = sidOf(Type) === 'Local' ? 'local' : sidOf(Type) === 'TollFree' ? 'toll-free' : null;
    if (Country !== 'US' || !type) throw notFound(req.url);
    const q = parseForm(searchSchema, req.query);
    const found = searchInventory(deps.inventory.values(), {
      type,
      ...(q.AreaCode ? { areaCode: q.AreaCode } : {}),
      ...(q.Contains ? { contains: q.Contains } : {}),
      ...(q.SmsEnabled !== undefined ? { smsEnabled: q.SmsEnabled } : {}),
      ...(q.MmsEnabled !== undefined ? { mmsEnabled: q.MmsEnabled } : {}),
      ...(q.VoiceEnabled !== undefined ? { voiceEnabled: q.VoiceEnabled } : {}),
      ...(q.InRegion ? { inRegion: q.InRegion } : {}),
      ...(q.InPostalCode ? { inPostalCode: q.InPostalCode } : {}),
    });
    return page('available_phone_numbers', req.url, found.map(availableJson), q.PageSize);
  });

  app.post(base + '/IncomingPhoneNumbers.json', async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(buySchema, req.body);
    const wanted = form.PhoneNumber
      ? deps.inventory.get(form.PhoneNumber)
      : form.AreaCode
        ? searchInventory(deps.inventory.values(), { type: 'local', areaCode: form.AreaCode })[0]
        : undefined;
    if (!form.PhoneNumber && !form.AreaCode) throw new TwilioRestError(400, 21421, 'PhoneNumber or AreaCode is required');
    if (!wanted) throw new TwilioRestError(400, 21422, `PhoneNumber ${form.PhoneNumber ?? `in area code ${form.AreaCode}`} is not available`);
    if (form.VoiceApplicationSid && !ctx.store.applications.has(form.VoiceApplicationSid)) throw new TwilioRestError(400, 21606, 'VoiceApplicationSid is not valid');
    deps.inventory.delete(wanted.phoneNumber);
    const number = addIncomingNumber(ctx.store, ctx.settings.accountSid, {
      phoneNumber: wanted.phoneNumber,
      capabilities: wanted.capabilities,
      numberType: wanted.type,
      ...(form.FriendlyName ? { friendlyName: form.FriendlyName } : {}),
      ...(form.VoiceUrl !== undefined ? { voiceUrl: form.VoiceUrl } : {}),
      ...(form.VoiceMethod ? { voiceMethod: form.VoiceMethod } : {}),
      ...(form.VoiceApplicationSid ? { voiceApplicationSid: form.VoiceApplicationSid } : {}),
      ...(form.StatusCallback !== undefined ? { statusCallback: form.StatusCallback } : {}),
      ...(form.SmsUrl !== undefined ? { smsUrl: form.SmsUrl } : {}),
    });
    deps.boughtFrom.set(number.sid, wanted);
    ctx.events.emitEvent('number.bought', { sid: number.sid, phoneNumber: number.phoneNumber });
    return reply.code(201).send(numberJson(number));
  });

  app.get(base + '/IncomingPhoneNumbers.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const numbers = [...ctx.store.numbers.values()].filter((n) => (!q.PhoneNumber || n.phoneNumber === q.PhoneNumber) && (!q.FriendlyName || n.friendlyName === q.FriendlyName));
    return page('incoming_phone_numbers', req.url, numbers.map(numberJson), Number(q.PageSize ?? 50));
  });

  app.get(base + '/IncomingPhoneNumbers/:Sid', async (req) => {
    authenticate(deps, req);
    const n = ctx.store.numbers.get(sidOf((req.params as { Sid: string }).Sid));
    if (!n) throw notFound(req.url);
    return numberJson(n);
  });

  app.post(base + '/IncomingPhoneNumbers/:Sid', async (req) => {
    authenticate(deps, req);
    const n = ctx.store.numbers.get(sidOf((req.params as { Sid: string }).Sid));
    if (!n) throw notFound(req.url);
    const form = parseForm(updateSchema, req.body);
    if (form.VoiceApplicationSid && !ctx.store.applications.has(form.VoiceApplicationSid)) throw new TwilioRestError(400, 21606, 'VoiceApplicationSid is not valid');
    if (form.FriendlyName !== undefined) n.friendlyName = form.FriendlyName;
    if (form.VoiceUrl !== undefined) n.voiceUrl = form.VoiceUrl;
    if (form.VoiceMethod) n.voiceMethod = form.VoiceMethod;
    if (form.VoiceApplicationSid !== undefined) n.voiceApplicationSid = form.VoiceApplicationSid || null;
    if (form.StatusCallback !== undefined) n.statusCallback = form.StatusCallback;
    if (form.StatusCallbackMethod) n.statusCallbackMethod = form.StatusCallbackMethod;
    if (form.SmsUrl !== undefined) n.smsUrl = form.SmsUrl;
    n.dateUpdated = new Date();
    return numberJson(n);
  });

  app.delete(base + '/IncomingPhoneNumbers/:Sid', async (req, reply) => {
    authenticate(deps, req);
    const sid = sidOf((req.params as { Sid: string }).Sid);
    const n = ctx.store.numbers.get(sid);
    if (!n) throw notFound(req.url);
    ctx.store.numbers.delete(sid);
    const original = deps.boughtFrom.get(sid);
    if (original) deps.inventory.set(original.phoneNumber, original);
    ctx.events.emitEvent('number.released', { sid, phoneNumber: n.phoneNumber });
    return reply.code(204).send();
  });
}
