// AvailablePhoneNumbers: the country list, one country, and searches of its Local, TollFree and
// Mobile numbers with Twilio's filters.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ContainsPatternError, type AvailableNumber, type NumberSearch } from '../state/inventory';
import { areaOf, COUNTRY_NAMES, isTollFreeNanpCode, isValidNanpAreaCode, NUMBERING_PLAN, type AddressRequirement, type IsoCountry, type NumberType } from '../state/numbering-plan';
import { formatFriendly } from '../state/resources';
import { notFound, TwilioRestError } from './errors';
import { bool, parseForm } from './form';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page } from './paging';
import { authenticate, sidOf, type RestDeps } from './rest-deps';

const API = '2010-04-01';

const searchSchema = z.object({
  AreaCode: z.string().regex(/^\d{3}$/, 'AreaCode must be three digits').optional(),
  Contains: z.string().optional(),
  SmsEnabled: bool,
  MmsEnabled: bool,
  VoiceEnabled: bool,
  FaxEnabled: bool,
  ExcludeAllAddressRequired: bool,
  ExcludeLocalAddressRequired: bool,
  ExcludeForeignAddressRequired: bool,
  Beta: bool,
  NearNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'NearNumber must be an E.164 number').optional(),
  NearLatLong: z.string().regex(/^-?\d+(\.\d+)?,\s*-?\d+(\.\d+)?$/, 'NearLatLong must be "latitude,longitude"').optional(),
  Distance: z.coerce.number().int().min(0).max(500).optional(),
  InRegion: z.string().optional(),
  InPostalCode: z.string().optional(),
  InLocality: z.string().optional(),
  InRateCenter: z.string().optional(),
  PageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** URL segment → number type, as Twilio names its subresources. */
const TYPE_OF_SEGMENT: Record<string, NumberType> = { Local: 'local', TollFree: 'toll-free', Mobile: 'mobile' };
const SEGMENT_OF_TYPE: Record<NumberType, string> = { local: 'Local', 'toll-free': 'TollFree', mobile: 'Mobile' };
const SUBRESOURCE_KEY: Record<NumberType, string> = { local: 'local', 'toll-free': 'toll_free', mobile: 'mobile' };

const isCountry = (c: string): c is IsoCountry => c in COUNTRY_NAMES;
const typesOf = (country: IsoCountry): NumberType[] => [...new Set(NUMBERING_PLAN.filter((a) => a.country === country).map((a) => a.type))];

/**
 * Twilio's JSON for an available number. Its capabilities really do say `SMS` and `MMS` in
 * capitals (and `voice`, `fax` in lower case) — unlike IncomingPhoneNumbers — so clients must read both.
 */
export function availableJson(n: AvailableNumber): Record<string, unknown> {
  const nanp = n.isoCountry === 'US' || n.isoCountry === 'CA';
  return {
    friendly_name: formatFriendly(n.phoneNumber),
    phone_number: n.phoneNumber,
    lata: null,
    locality: n.locality || null,
    rate_center: nanp ? n.rateCenter || null : null,
    latitude: nanp && n.latitude ? n.latitude : null,
    longitude: nanp && n.longitude ? n.longitude : null,
    region: nanp ? n.region || null : null,
    postal_code: nanp ? n.postalCode || null : null,
    iso_country: n.isoCountry,
    address_requirements: n.addressRequirements,
    beta: false,
    capabilities: { voice: n.capabilities.voice, SMS: n.capabilities.sms, MMS: n.capabilities.mms, fax: n.capabilities.fax },
  };
}

function countryJson(accountSid: string, country: IsoCountry): Record<string, unknown> {
  const base = `/${API}/Accounts/${accountSid}/AvailablePhoneNumbers/${country}`;
  return {
    country_code: country,
    country: COUNTRY_NAMES[country],
    uri: `${base}.json`,
    beta: false,
    subresource_uris: Object.fromEntries(typesOf(country).map((t) => [SUBRESOURCE_KEY[t], `${base}/${SEGMENT_OF_TYPE[t]}.json`])),
  };
}

function nearPoint(q: z.infer<typeof searchSchema>): NumberSearch['near'] {
  const miles = q.Distance ?? 25;
  if (q.NearLatLong) {
    const [latitude = 0, longitude = 0] = q.NearLatLong.split(',').map((v) => Number(v.trim()));
    return { latitude, longitude, miles };
  }
  if (q.NearNumber) {
    const area = areaOf(q.NearNumber);
    if (area?.latitude === undefined || area.longitude === undefined) throw new TwilioRestError(400, 21421, `NearNumber ${q.NearNumber} has no known location`);
    return { latitude: area.latitude, longitude: area.longitude, miles };
  }
  return undefined;
}

export function registerAvailableNumberRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid/AvailablePhoneNumbers';

  app.get(base + '.json', async (req) => {
    authenticate(deps, req);
    const countries = (Object.keys(COUNTRY_NAMES) as IsoCountry[]).map((c) => countryJson(ctx.settings.accountSid, c));
    return page('countries', req.url, countries);
  });

  app.get(base + '/:Country', async (req) => {
    authenticate(deps, req);
    const country = sidOf((req.params as { Country: string }).Country);
    if (!isCountry(country)) throw notFound(req.url);
    return countryJson(ctx.settings.accountSid, country);
  });

  app.get(base + '/:Country/:Type', async (req) => {
    authenticate(deps, req);
    const { Country: country, Type } = req.params as { Country: string; Type: string };
    const type = TYPE_OF_SEGMENT[sidOf(Type)];
    if (!isCountry(country) || !type || !typesOf(country).includes(type)) throw notFound(req.url);
    const q = parseForm(searchSchema, req.query);
    if (q.AreaCode && (country === 'US' || country === 'CA')) {
      const valid = type === 'toll-free' ? isTollFreeNanpCode(q.AreaCode) : isValidNanpAreaCode(q.AreaCode) && !isTollFreeNanpCode(q.AreaCode);
      if (!valid) throw new TwilioRestError(400, 21451, `AreaCode ${q.AreaCode} is not a valid ${type === 'toll-free' ? 'toll-free' : 'North American'} area code`);
    }
    const exclude: AddressRequirement[] = [
      ...(q.ExcludeAllAddressRequired ? (['any', 'local', 'foreign'] as const) : []),
      ...(q.ExcludeLocalAddressRequired ? (['local'] as const) : []),
      ...(q.ExcludeForeignAddressRequired ? (['foreign'] as const) : []),
    ];
    const near = nearPoint(q);
    const search: NumberSearch = {
      country,
      type,
      ...(q.AreaCode ? { areaCode: q.AreaCode } : {}),
      ...(q.Contains ? { contains: q.Contains } : {}),
      ...(q.SmsEnabled !== undefined ? { smsEnabled: q.SmsEnabled } : {}),
      ...(q.MmsEnabled !== undefined ? { mmsEnabled: q.MmsEnabled } : {}),
      ...(q.VoiceEnabled !== undefined ? { voiceEnabled: q.VoiceEnabled } : {}),
      ...(q.FaxEnabled !== undefined ? { faxEnabled: q.FaxEnabled } : {}),
      ...(q.InRegion ? { inRegion: q.InRegion } : {}),
      ...(q.InPostalCode ? { inPostalCode: q.InPostalCode } : {}),
      ...(q.InLocality ? { inLocality: q.InLocality } : {}),
      ...(q.InRateCenter ? { inRateCenter: q.InRateCenter } : {}),
      ...(near ? { near } : {}),
      ...(exclude.length ? { excludeAddressRequired: exclude } : {}),
    };
    let found: AvailableNumber[];
    try {
      found = ctx.store.inventory.searchPage(search, q.PageSize);
    } catch (error) {
      if (error instanceof ContainsPatternError) throw new TwilioRestError(400, 20001, `Invalid Contains: ${error.message}`);
      throw error;
    }
    // Twilio answers a search with one page of matches and no next page; searching again is how
    // a client sees others (the sandbox rotates through them, see NumberInventory.searchPage).
    const body = page('available_phone_numbers', req.url, found.map(availableJson));
    return { ...body, next_page_uri: null, previous_page_uri: null };
  });
}
