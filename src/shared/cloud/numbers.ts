import { z } from 'zod';
import { phoneNumberSchema } from './entities';
import { e164Schema } from './phone';

/**
 * The phone-number lifecycle's wire schemas (seed 001: buy, configure, assign, delete, keep or
 * release, restore). The desktop's admin screens import them; the cloud's `numbers/` feature serves them.
 */

const id = z.string().min(1).max(64);
const iso = z.string();

export const countrySchema = z.string().regex(/^[A-Z]{2}$/, 'A two-letter country code, e.g. US');
export const numberTypeSchema = z.enum(['local', 'toll-free', 'mobile']);
export type NumberType = z.infer<typeof numberTypeSchema>;
/** Where the digits or phrase must appear in the number. */
export const matchAtSchema = z.enum(['first', 'last', 'any']);
export type MatchAt = z.infer<typeof matchAtSchema>;

export const capabilitiesSchema = z.object({ voice: z.boolean(), sms: z.boolean(), mms: z.boolean(), fax: z.boolean() });
export type NumberCapabilities = z.infer<typeof capabilitiesSchema>;

/** A price in millionths of the currency unit (per-minute rates need four decimals). */
export const moneySchema = z.object({ micros: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof moneySchema>;

/** What a number of a country and type costs: shown before buying; the platform operator sets it. */
export const numberPriceSchema = z.object({
  country: countrySchema,
  numberType: numberTypeSchema,
  monthlyFee: moneySchema,
  inboundPerMinute: moneySchema,
  outboundPerMinute: moneySchema,
});
export type NumberPrice = z.infer<typeof numberPriceSchema>;
/** The price table, and the practice's own country (numbers elsewhere are requested from support). */
export const numberPricingSchema = z.object({ homeCountry: countrySchema, prices: z.array(numberPriceSchema) });
export type NumberPricing = z.infer<typeof numberPricingSchema>;

const booleanQuery = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** Digits, or a phrase spelled on the keypad (letters become digits); spaces, dashes, dots and brackets are ignored. */
export const matchTextSchema = z
  .string()
  .trim()
  .max(40)
  .transform((v) => v.replace(/[\s().-]/g, ''))
  .refine((v) => v === '' || /^[0-9A-Za-z]{2,14}$/.test(v), 'Use 2 to 14 digits or letters (letters are the keypad digits)');

export const numberSearchQuerySchema = z.object({
  country: countrySchema.default('US'),
  type: numberTypeSchema.default('local'),
  match: matchTextSchema.optional(),
  matchAt: matchAtSchema.default('any'),
  /** Only numbers with these capabilities (unset: either). */
  voice: booleanQuery.optional(),
  sms: booleanQuery.optional(),
  mms: booleanQuery.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type NumberSearchQuery = z.input<typeof numberSearchQuerySchema>;

export const availableNumberSchema = z.object({
  phoneNumber: e164Schema,
  /** As Twilio formats it, e.g. (424) 555-0123. */
  friendlyName: z.string(),
  country: countrySchema,
  numberType: numberTypeSchema,
  locality: z.string().nullable(),
  region: z.string().nullable(),
  capabilities: capabilitiesSchema,
  /** Twilio's address requirement (none | any | local | foreign). */
  addressRequirements: z.string(),
});
export type AvailableNumber = z.infer<typeof availableNumberSchema>;

/** A way out when nothing matched: another search to run, or support to contact. */
export const searchSuggestionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['overlay', 'nearby', 'toll-free', 'broaden']),
    label: z.string(),
    /** The search to run instead. */
    query: z.object({
      country: countrySchema,
      type: numberTypeSchema,
      match: z.string().optional(),
      matchAt: matchAtSchema,
      voice: z.boolean().optional(),
      sms: z.boolean().optional(),
      mms: z.boolean().optional(),
    }),
    /** How many numbers that search found when the suggestion was made. */
    available: z.number().int().min(0),
  }),
  z.object({ kind: z.literal('refresh'), label: z.string() }),
  z.object({ kind: z.literal('support'), label: z.string() }),
]);
export type SearchSuggestion = z.infer<typeof searchSuggestionSchema>;

export const numberSearchResultSchema = z.object({
  numbers: z.array(availableNumberSchema),
  /** The price of this country and type, or null when the platform has none (then it cannot be bought here). */
  price: numberPriceSchema.nullable(),
  /** Numbers outside the practice's country are requested from support, not bought here. */
  international: z.boolean(),
  /** Offered when nothing matched. */
  suggestions: z.array(searchSuggestionSchema),
});
export type NumberSearchResult = z.infer<typeof numberSearchResultSchema>;

export const purchaseRequestSchema = z.object({
  country: countrySchema,
  numberType: numberTypeSchema,
  phoneNumbers: z.array(e164Schema).min(1).max(10).refine((list) => new Set(list).size === list.length, 'Each number once'),
  /** The location whose team "ring all" rings by default; null: the whole account. */
  locationId: id.nullable().default(null),
});
export type PurchaseRequest = z.input<typeof purchaseRequestSchema>;

/** One number of a purchase: bought, taken by someone else meanwhile, or failed (with why). */
export const purchaseOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ phoneNumber: z.string(), status: z.literal('bought'), number: phoneNumberSchema, charged: moneySchema }),
  z.object({ phoneNumber: z.string(), status: z.literal('taken'), message: z.string() }),
  z.object({
    phoneNumber: z.string(),
    status: z.literal('failed'),
    message: z.string(),
    twilioCode: z.number().int().nullable(),
    /** Twilio never answered: it may have been bought. The cloud settles it within minutes (listed as an unconfirmed purchase meanwhile). Absent from older clouds. */
    unconfirmed: z.boolean().optional(),
  }),
]);
export type PurchaseOutcome = z.infer<typeof purchaseOutcomeSchema>;
export const purchaseResultSchema = z.object({ results: z.array(purchaseOutcomeSchema) });
export type PurchaseResult = z.infer<typeof purchaseResultSchema>;

/** The typed confirmations of seed 001: `Delete`, then either keep (NO) or `Release`. */
export const deleteNumberRequestSchema = z.discriminatedUnion('release', [
  z.object({ confirmation: z.literal('Delete', { error: 'Type Delete to confirm' }), release: z.literal(false) }),
  z.object({
    confirmation: z.literal('Delete', { error: 'Type Delete to confirm' }),
    release: z.literal(true),
    releaseConfirmation: z.literal('Release', { error: 'Type Release to confirm releasing the number' }),
  }),
]);
export type DeleteNumberRequest = z.infer<typeof deleteNumberRequestSchema>;
export const releaseHeldNumberRequestSchema = z.object({ releaseConfirmation: z.literal('Release', { error: 'Type Release to confirm releasing the number' }) });

export const numberStatusSchema = z.enum(['active', 'held', 'released']);
export type NumberStatus = z.infer<typeof numberStatusSchema>;

/** A number as the admin screens show it: its settings plus what it is, who it belongs to and what it costs. */
export const managedNumberSchema = phoneNumberSchema.extend({
  country: countrySchema,
  numberType: numberTypeSchema,
  capabilities: capabilitiesSchema,
  status: numberStatusSchema,
  /** The member whose Inbound Number this is, by name. */
  assignedUserName: z.string().nullable(),
  /** Billed monthly since `billingSince`; null when the number is not billed (demo numbers, deleted ones). */
  monthlyFee: moneySchema.nullable(),
  billingSince: iso.nullable(),
});
export type ManagedNumber = z.infer<typeof managedNumberSchema>;

/**
 * A purchase Twilio did not confirm (neither the buy nor the look-up after it was answered), and
 * what became of it: `checking` until the cloud's sweep asks Twilio again, then `added` (Twilio
 * had it: on the list and billed), `not_bought` (Twilio does not have it: nothing charged) or
 * `not_added` (Twilio had it but it could not be added to the practice: given back, or left for
 * Aesthetix support; nothing charged). Settled ones are listed for 7 days.
 */
export const unconfirmedPurchaseSchema = z.object({
  id,
  phoneNumber: e164Schema,
  requestedAt: iso,
  state: z.enum(['checking', 'added', 'not_bought', 'not_added']),
  /** When it was settled; null while checking. */
  settledAt: iso.nullable(),
  /**
   * Twilio bought it after it had been settled as not bought, and it was given back (state
   * `not_added`: nothing charged). Absent from older clouds (and older desktops ignore it).
   */
  landedLate: z.boolean().optional(),
});
export type UnconfirmedPurchase = z.infer<typeof unconfirmedPurchaseSchema>;

/** A deleted number: held (restorable until `releaseDueAt`) or released for good. */
export const deletedNumberSchema = z.object({
  id,
  number: e164Schema,
  name: z.string(),
  country: countrySchema,
  numberType: numberTypeSchema,
  status: z.enum(['held', 'released']),
  deletedAt: iso,
  deletedByName: z.string().nullable(),
  /** When a held number is released automatically (10 days after deletion). */
  releaseDueAt: iso.nullable(),
  releasedAt: iso.nullable(),
  /** Whole days left to restore it (a part-day counts: 1 on its last day; 0 once the window passed); null once released. */
  daysLeft: z.number().int().min(0).nullable(),
  canRestore: z.boolean(),
});
export type DeletedNumber = z.infer<typeof deletedNumberSchema>;

export const restoreResultSchema = z.object({
  number: managedNumberSchema,
  charged: moneySchema,
  /** The member whose Inbound Number it was, when it could not be given back to them (they have another now, or left); null otherwise. */
  memberNotRestored: z.string().nullable().default(null),
});
export type RestoreResult = z.infer<typeof restoreResultSchema>;

/** The member's one Inbound Number (My Staff → Call & Voicemail settings); null unassigns it. */
export const setInboundNumberRequestSchema = z.object({ phoneNumberId: id.nullable() });

/** What support is asked to do for the practice: an international number, a port-in, a number the platform does not list. */
export const numberRequestKindSchema = z.enum(['international', 'port_in', 'unlisted']);
export const numberRequestStatusSchema = z.enum(['open', 'in_progress', 'completed', 'cancelled']);
export const createNumberRequestSchema = z.object({
  kind: numberRequestKindSchema,
  country: countrySchema,
  numberType: numberTypeSchema.nullable().default(null),
  phoneNumbers: z.array(e164Schema).max(10).default([]),
  note: z.string().trim().max(2000).default(''),
});
export type CreateNumberRequest = z.input<typeof createNumberRequestSchema>;
export const numberRequestSchema = z.object({
  id,
  kind: numberRequestKindSchema,
  country: countrySchema,
  numberType: numberTypeSchema.nullable(),
  phoneNumbers: z.array(z.string()),
  note: z.string(),
  status: numberRequestStatusSchema,
  requestedByName: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type NumberRequest = z.infer<typeof numberRequestSchema>;

/** Routes of the numbers feature (under the cloud's base URL). */
export const numberPaths = {
  list: '/v1/numbers',
  managed: '/v1/numbers/managed',
  available: '/v1/numbers/available',
  purchases: '/v1/numbers/purchases',
  unconfirmedPurchases: '/v1/numbers/purchases/unconfirmed',
  pricing: '/v1/numbers/pricing',
  deleted: '/v1/numbers/deleted',
  requests: '/v1/numbers/requests',
  number: (numberId: string) => `/v1/numbers/${encodeURIComponent(numberId)}`,
  delete: (numberId: string) => `/v1/numbers/${encodeURIComponent(numberId)}/delete`,
  release: (numberId: string) => `/v1/numbers/${encodeURIComponent(numberId)}/release`,
  restore: (numberId: string) => `/v1/numbers/${encodeURIComponent(numberId)}/restore`,
  cancelRequest: (requestId: string) => `/v1/numbers/requests/${encodeURIComponent(requestId)}/cancel`,
  inboundNumber: (userId: string) => `/v1/users/${encodeURIComponent(userId)}/inbound-number`,
} as const;
