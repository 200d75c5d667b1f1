import { z } from 'zod';
import { updatePhoneNumberSchema } from '../cloud/api';
import { phoneNumberSchema, userSchema } from '../cloud/entities';
import {
  createNumberRequestSchema,
  deleteNumberRequestSchema,
  deletedNumberSchema,
  managedNumberSchema,
  numberPriceSchema,
  numberRequestSchema,
  numberSearchQuerySchema,
  numberSearchResultSchema,
  purchaseRequestSchema,
  purchaseResultSchema,
  restoreResultSchema,
  unconfirmedPurchaseSchema,
} from '../cloud/numbers';

/**
 * IPC channels of the phone-number screens (issue [numbers]): Settings → Phone Numbers, the buy
 * flow, number settings, deleted numbers, support requests and My Staff's Inbound Number. Merged
 * into `ipcChannels` by contract.ts; the numbers feature owns this file. Everything but
 * `numbers.mine` goes to the cloud (admins only) and needs a connection.
 */

const id = z.string().min(1).max(64);

/** A team member as the numbers screens need them. */
export const numberMemberSchema = z.object({ id, name: z.string(), role: userSchema.shape.role, inboundNumberId: id.nullable(), locationIds: z.array(id) });
export type NumberMember = z.infer<typeof numberMemberSchema>;
export const numbersOverviewSchema = z.object({
  numbers: z.array(managedNumberSchema),
  members: z.array(numberMemberSchema),
  locations: z.array(z.object({ id, name: z.string() })),
  prices: z.array(numberPriceSchema),
  /** The practice's own country: numbers elsewhere are requested from support. */
  homeCountry: z.string(),
  /** Purchases Twilio did not confirm: being checked, or what became of them lately. */
  unconfirmed: z.array(unconfirmedPurchaseSchema).default([]),
});
export type NumbersOverview = z.infer<typeof numbersOverviewSchema>;

/** The signed-in user's own Inbound Number, read from the local cache (works offline; read-only for receptionists). */
export const myInboundNumberSchema = z.object({ number: phoneNumberSchema.nullable() });

export const numbersChannels = {
  'numbers.overview': { input: z.undefined(), output: numbersOverviewSchema },
  'numbers.search': { input: numberSearchQuerySchema, output: numberSearchResultSchema },
  'numbers.buy': { input: purchaseRequestSchema, output: purchaseResultSchema },
  'numbers.update': { input: z.object({ numberId: id, changes: updatePhoneNumberSchema }), output: phoneNumberSchema },
  'numbers.delete': { input: z.object({ numberId: id, request: deleteNumberRequestSchema }), output: deletedNumberSchema },
  'numbers.deleted': { input: z.undefined(), output: z.array(deletedNumberSchema) },
  'numbers.restore': { input: z.object({ numberId: id }), output: restoreResultSchema },
  'numbers.releaseHeld': { input: z.object({ numberId: id, releaseConfirmation: z.literal('Release', { error: 'Type Release to confirm' }) }), output: deletedNumberSchema },
  'numbers.requests': { input: z.undefined(), output: z.array(numberRequestSchema) },
  'numbers.createRequest': { input: createNumberRequestSchema, output: numberRequestSchema },
  'numbers.cancelRequest': { input: z.object({ requestId: id }), output: numberRequestSchema },
  /** My Staff → Call & Voicemail settings → Inbound Number (null unassigns). */
  'numbers.setInboundNumber': { input: z.object({ userId: id, phoneNumberId: id.nullable() }), output: userSchema },
  'numbers.mine': { input: z.undefined(), output: myInboundNumberSchema },
} as const;
