// The other customers of "Twilio", for tests of number purchases: someone else buys a number now,
// wins the race for the next purchase of one, or releases one they held. Also answers whether a
// number is for sale, e.g. to check that a released number went back on sale.
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { AvailableNumber } from '../state/inventory';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number');

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
