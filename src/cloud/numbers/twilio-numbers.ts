import type twilio from 'twilio';
import type { AvailableNumber, NumberCapabilities, NumberType } from '../../shared/cloud/numbers';

/**
 * The practice's numbers at Twilio, through the official client (the sandbox serves the same REST
 * API offline): search the inventory, buy, find, re-point and release. Every failure is a
 * `TwilioNumberError` that says what happened in Twilio's terms, so callers can tell "someone else
 * has it" from "Twilio could not be reached".
 */
export interface NumberProvider {
  search(q: ProviderSearch): Promise<AvailableNumber[]>;
  buy(phoneNumber: string, config: NumberWebhooks & { friendlyName: string }): Promise<OwnedNumber>;
  /** The number of this sid in the platform account, or null when the account no longer holds it. */
  bySid(sid: string): Promise<OwnedNumber | null>;
  /**
   * Whatever the platform account holds under this number, or null. Every practice's numbers are in
   * that one account: the answer may be another practice's, so it is never acted on without proof
   * that it is the caller's (ownership.ts).
   */
  byNumber(phoneNumber: string): Promise<OwnedNumber | null>;
  /**
   * One page of the numbers the platform account bought from Twilio's inventory (`Origin=twilio`:
   * what a purchase here makes; hosted numbers never are), in Twilio's paging: `next` is the page
   * after it (null after the last), passed back to read on. For the reconciliation (reconcile-job.ts).
   */
  accountPage(next: string | null, pageSize: number): Promise<{ numbers: OwnedNumber[]; next: string | null }>;
  update(sid: string, config: Partial<NumberWebhooks> & { friendlyName?: string }): Promise<void>;
  /** Gives the number back to Twilio. A number the account no longer holds counts as released. */
  release(sid: string): Promise<void>;
}

export interface ProviderSearch {
  country: string;
  type: NumberType;
  contains?: string | undefined;
  voice?: boolean | undefined;
  sms?: boolean | undefined;
  mms?: boolean | undefined;
  /** Numbers within `distance` miles of this one (Twilio's NearNumber). */
  nearNumber?: string | undefined;
  distance?: number | undefined;
  limit: number;
}

export interface NumberWebhooks {
  voiceUrl: string;
  /** Requested by Twilio when the voice URL fails: answers without the database (telephony/fallback.ts). */
  voiceFallbackUrl: string;
  statusCallback: string;
}

export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: NumberCapabilities;
}

export type TwilioFailure = 'not-available' | 'invalid' | 'no-stock' | 'not-found' | 'refused' | 'unreachable' | 'not-configured';

export class TwilioNumberError extends Error {
  constructor(
    readonly kind: TwilioFailure,
    message: string,
    /** Twilio's error code (21422 …), null when Twilio did not answer. */
    readonly twilioCode: number | null,
  ) {
    super(message);
    this.name = 'TwilioNumberError';
  }
}

/** Twilio's documented codes for a purchase or search that cannot be done. */
const KIND_OF_CODE: Readonly<Record<number, TwilioFailure>> = {
  21422: 'not-available', // PhoneNumber is not available (owned, taken, lost race)
  21421: 'invalid', // PhoneNumber is invalid
  21452: 'no-stock', // No phone numbers found in area code
  21451: 'invalid', // Invalid area code
  20404: 'not-found',
};

/** A RestException (status + code) becomes a TwilioNumberError; anything else means Twilio was not reached or did not answer. */
export function classifyTwilioError(error: unknown): TwilioNumberError {
  if (error instanceof TwilioNumberError) return error;
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.status === 'number' && e.status > 0) {
    const code = typeof e.code === 'number' ? e.code : null;
    const kind = (code !== null ? KIND_OF_CODE[code] : undefined) ?? (e.status === 404 ? 'not-found' : 'refused');
    return new TwilioNumberError(kind, `Twilio refused: ${typeof e.message === 'string' ? e.message : `HTTP ${e.status}`}`, code);
  }
  return new TwilioNumberError('unreachable', `Twilio could not be reached: ${error instanceof Error ? error.message : String(error)}`, null);
}

/**
 * Available-number capabilities come as `{ voice, SMS, MMS, fax }` in Twilio's raw JSON (capitals),
 * owned numbers' as `{ voice, sms, mms, fax }`; read either.
 */
export function readCapabilities(raw: unknown): NumberCapabilities {
  const c = (raw ?? {}) as Record<string, unknown>;
  const flag = (...keys: string[]): boolean => keys.some((k) => c[k] === true || c[k] === 'true');
  return { voice: flag('voice', 'Voice'), sms: flag('sms', 'SMS'), mms: flag('mms', 'MMS'), fax: flag('fax', 'Fax') };
}

const emptyToNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Sandbox mode with no sandbox to talk to: every call says so instead of reaching the real api.twilio.com with the published sandbox credentials. */
export function unconfiguredProvider(reason: string): NumberProvider {
  const refuse = async (): Promise<never> => {
    throw new TwilioNumberError('not-configured', reason, null);
  };
  return { search: refuse, buy: refuse, bySid: refuse, byNumber: refuse, accountPage: refuse, update: refuse, release: refuse };
}

export function twilioNumberProvider(client: twilio.Twilio): NumberProvider {
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw classifyTwilioError(error);
    }
  };
  const owned = (n: { sid: string; phoneNumber: string; friendlyName: string; capabilities: unknown }): OwnedNumber => ({
    sid: n.sid,
    phoneNumber: n.phoneNumber,
    friendlyName: n.friendlyName,
    capabilities: readCapabilities(n.capabilities),
  });

  return {
    search: (q) =>
      guard(async () => {
        const country = client.availablePhoneNumbers(q.country);
        // The three subresources take the same filters and answer the same fields.
        const resource = (q.type === 'toll-free' ? country.tollFree : q.type === 'mobile' ? country.mobile : country.local) as typeof country.local;
        const found = await resource.list({
          ...(q.contains ? { contains: q.contains } : {}),
          ...(q.voice ? { voiceEnabled: true } : {}),
          ...(q.sms ? { smsEnabled: true } : {}),
          ...(q.mms ? { mmsEnabled: true } : {}),
          ...(q.nearNumber ? { nearNumber: q.nearNumber, distance: q.distance ?? 25 } : {}),
          pageSize: q.limit,
          limit: q.limit,
        });
        return found.map(
          (n): AvailableNumber => ({
            phoneNumber: n.phoneNumber,
            friendlyName: n.friendlyName,
            country: n.isoCountry,
            numberType: q.type,
            locality: emptyToNull(n.locality),
            region: emptyToNull(n.region),
            capabilities: readCapabilities(n.capabilities),
            addressRequirements: n.addressRequirements ?? 'none',
          }),
        );
      }),
    buy: (phoneNumber, config) =>
      guard(async () =>
        owned(
          await client.incomingPhoneNumbers.create({
            phoneNumber,
            friendlyName: config.friendlyName.slice(0, 64),
            voiceUrl: config.voiceUrl,
            voiceMethod: 'POST',
            voiceFallbackUrl: config.voiceFallbackUrl,
            voiceFallbackMethod: 'POST',
            statusCallback: config.statusCallback,
            statusCallbackMethod: 'POST',
          }),
        ),
      ),
    bySid: (sid) =>
      guard(async () => {
        try {
          return owned(await client.incomingPhoneNumbers(sid).fetch());
        } catch (error) {
          if (classifyTwilioError(error).kind === 'not-found') return null;
          throw error;
        }
      }),
    byNumber: (phoneNumber) =>
      guard(async () => {
        const listed = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 20 });
        const match = listed.find((n) => n.phoneNumber === phoneNumber);
        return match ? owned(match) : null;
      }),
    accountPage: (next, pageSize) =>
      guard(async () => {
        const page = next ? await client.incomingPhoneNumbers.getPage(next) : await client.incomingPhoneNumbers.page({ origin: 'twilio', pageSize });
        return { numbers: page.instances.map(owned), next: page.nextPageUrl ?? null };
      }),
    update: (sid, config) =>
      guard(async () => {
        await client.incomingPhoneNumbers(sid).update({
          ...(config.friendlyName !== undefined ? { friendlyName: config.friendlyName.slice(0, 64) } : {}),
          ...(config.voiceUrl !== undefined ? { voiceUrl: config.voiceUrl, voiceMethod: 'POST' } : {}),
          ...(config.voiceFallbackUrl !== undefined ? { voiceFallbackUrl: config.voiceFallbackUrl, voiceFallbackMethod: 'POST' } : {}),
          ...(config.statusCallback !== undefined ? { statusCallback: config.statusCallback, statusCallbackMethod: 'POST' } : {}),
        });
      }),
    release: (sid) =>
      guard(async () => {
        try {
          await client.incomingPhoneNumbers(sid).remove();
        } catch (error) {
          if (classifyTwilioError(error).kind !== 'not-found') throw error;
        }
      }),
  };
}
