// The other customers of "Twilio", for tests of number purchases: someone else buys a number now,
// wins the race for the next purchase of one, or releases one they held. Also answers whether a
// number is for sale, e.g. to check that a released number went back on sale.
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { AvailableNumber } from '../state/inventory';
import { areaOf } from '../state/numbering-plan';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number');

export const forSaleSchema = z.object({
  phoneNumber: e164,
  capabilities: z.object({ voice: z.boolean(), sms: z.boolean(), mms: z.boolean(), fax: z.boolean() }).partial().optional(),
});
export type ForSaleInput = z.input<typeof forSaleSchema>;

export interface NumberAvailability {
  phoneNumber: string;
  forSale: boolean;
  /** Held by another customer (claimed, or won a race). */
  claimedByOthers: boolean;
  /** Bought by this account. */
  ownedByAccount: boolean;
  details: AvailableNumber | null;
}

export class InventoryControl {
  constructor(private readonly ctx: SandboxContext) {}

  /** Another customer buys the number now; a later purchase (or restore) by this account fails with 21422. */
  claimNumber(phoneNumber: string): { claimed: boolean } {
    const n = e164.parse(phoneNumber);
    const claimed = this.ctx.store.inventory.claim(n);
    this.ctx.events.emitEvent('number.claimed-by-other', { phoneNumber: n, claimed });
    return { claimed };
  }

  /** The next purchase of the number by this account loses a race: another customer gets it first (21422). */
  loseNextPurchaseOf(phoneNumber: string): void {
    this.ctx.store.inventory.raceNextPurchase(e164.parse(phoneNumber));
  }

  /** The other customer releases the number: it is for sale again. */
  releaseClaim(phoneNumber: string): { released: boolean } {
    return { released: this.ctx.store.inventory.unclaim(e164.parse(phoneNumber)) };
  }

  /**
   * Puts a specific number on sale (e.g. a vanity number a search test looks for). It must belong
   * to an area of the numbering plan, which gives its country, type and place.
   */
  addForSale(input: ForSaleInput): AvailableNumber {
    const { phoneNumber, capabilities } = forSaleSchema.parse(input);
    const area = areaOf(phoneNumber);
    if (!area) throw new Error(`${phoneNumber} is in no area of the sandbox's numbering plan`);
    if (this.ctx.store.numberByPhone(phoneNumber)) throw new Error(`${phoneNumber} already belongs to the account`);
    const nanp = area.country === 'US' || area.country === 'CA';
    const n: AvailableNumber = {
      phoneNumber,
      isoCountry: area.country,
      type: area.type,
      locality: area.locality ?? '',
      region: nanp ? (area.region ?? '') : '',
      postalCode: nanp ? (area.postalCode ?? '') : '',
      rateCenter: nanp && area.locality ? area.locality.toUpperCase().replace(/\s+/g, '').slice(0, 10) : '',
      latitude: nanp && area.latitude !== undefined ? area.latitude.toFixed(6) : '',
      longitude: nanp && area.longitude !== undefined ? area.longitude.toFixed(6) : '',
      addressRequirements: area.addressRequirements,
      capabilities: { voice: true, sms: area.odds[1] > 0, mms: area.odds[2] > 0, fax: false, ...capabilities },
    };
    this.ctx.store.inventory.add(n);
    return n;
  }

  availability(phoneNumber: string): NumberAvailability {
    const n = e164.parse(phoneNumber);
    const inventory = this.ctx.store.inventory;
    return {
      phoneNumber: n,
      forSale: inventory.get(n) !== undefined,
      claimedByOthers: inventory.isClaimedByOthers(n),
      ownedByAccount: this.ctx.store.numberByPhone(n) !== undefined,
      details: inventory.details(n) ?? null,
    };
  }
}
