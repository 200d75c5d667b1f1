import { z } from 'zod';
import { updatePhoneNumberSchema } from '../../shared/cloud/api';
import { phoneNumberSchema, userSchema } from '../../shared/cloud/entities';
import {
  createNumberRequestSchema,
  deleteNumberRequestSchema,
  deletedNumberSchema,
  managedNumberSchema,
  numberPaths,
  numberPricingSchema,
  numberRequestSchema,
  numberSearchQuerySchema,
  numberSearchResultSchema,
  purchaseRequestSchema,
  purchaseResultSchema,
  releaseHeldNumberRequestSchema,
  restoreResultSchema,
  setInboundNumberRequestSchema,
  unconfirmedPurchaseSchema,
} from '../../shared/cloud/numbers';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { setInboundNumber } from './assignment';
import { numbersDeps } from './deps';
import { deleteNumber, listDeleted, releaseHeldNumber, restoreNumber } from './lifecycle';
import { accountCountry, listPrices } from './prices';
import { purchaseNumbers } from './purchase';
import { cancelNumberRequest, createNumberRequest, listNumberRequests } from './requests';
import { searchAvailable } from './search';
import { listUnconfirmedPurchases } from './unconfirmed-list';
import { listManagedNumbers, listNumbers, updateNumberSettings } from './service';

/** The practice's phone numbers: settings, buying, members' inbound numbers, deleting, restoring, support requests. */
export const numberRoutes: FeatureRoutes = (router, ctx) => {
  const d = numbersDeps(ctx);
  const tag = 'numbers';
  router.add({
    method: 'GET', url: numberPaths.list, tag, access: 'user', summary: "The account's numbers", response: z.array(phoneNumberSchema),
    handler: ({ principal }) => listNumbers(ctx, principal),
  });
  router.add({
    method: 'GET', url: numberPaths.managed, tag, access: 'admin', summary: 'Settings → Phone Numbers: live numbers with type, capabilities, member and monthly cost',
    response: z.array(managedNumberSchema),
    handler: ({ principal }) => listManagedNumbers(ctx, principal),
  });
  router.add({
    method: 'PATCH', url: '/v1/numbers/:id', tag, access: 'admin', summary: "A number's settings, including whose inbound number it is",
    params: idParams, body: updatePhoneNumberSchema, response: phoneNumberSchema,
    handler: ({ principal, params, body }) => updateNumberSettings(d, principal, params.id, body),
  });
  router.add({
    method: 'GET', url: numberPaths.available, tag, access: 'admin', summary: "Twilio's numbers for sale, filtered (digits or a phrase first/last/anywhere, capabilities, type), with the price and, when none match, suggestions",
    query: numberSearchQuerySchema, response: numberSearchResultSchema,
    handler: ({ principal, query }) => searchAvailable(d, principal, query),
  });
  router.add({
    method: 'POST', url: numberPaths.purchases, tag, access: 'admin', summary: 'Buys the selected numbers; one outcome per number (bought, taken meanwhile, failed)',
    body: purchaseRequestSchema, response: purchaseResultSchema,
    handler: ({ principal, body }) => purchaseNumbers(d, principal, body),
  });
  router.add({
    method: 'GET', url: numberPaths.unconfirmedPurchases, tag, access: 'admin',
    summary: 'Purchases Twilio did not confirm: being checked, or what became of them (added, not bought, not added) in the last 7 days',
    response: z.array(unconfirmedPurchaseSchema),
    handler: ({ principal }) => listUnconfirmedPurchases(ctx.db, principal.accountId),
  });
  router.add({
    method: 'GET', url: numberPaths.pricing, tag, access: 'admin', summary: "The monthly fee and per-minute rates per country and number type, and the practice's own country",
    response: numberPricingSchema,
    handler: async ({ principal }) => ({ homeCountry: await accountCountry(ctx.db, principal.accountId), prices: await listPrices(ctx.db) }),
  });
  router.add({
    method: 'POST', url: '/v1/numbers/:id/delete', tag, access: 'admin', summary: 'Deletes a number ("Delete" typed): kept 10 days for restoring, or released to Twilio ("Release" typed)',
    params: idParams, body: deleteNumberRequestSchema, response: deletedNumberSchema,
    handler: ({ principal, params, body }) => deleteNumber(d, principal, params.id, body),
  });
  router.add({
    method: 'GET', url: numberPaths.deleted, tag, access: 'admin', summary: 'Deleted numbers: held ones with the days left to restore them, and released ones', response: z.array(deletedNumberSchema),
    handler: ({ principal }) => listDeleted(d, principal),
  });
  router.add({
    method: 'POST', url: '/v1/numbers/:id/restore', tag, access: 'admin', summary: 'Restores a number deleted with NO, within its 10 days: back with its settings (and its member if free), billing restarts',
    params: idParams, response: restoreResultSchema,
    handler: ({ principal, params }) => restoreNumber(d, principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/numbers/:id/release', tag, access: 'admin', summary: 'Releases a held number to Twilio now ("Release" typed)',
    params: idParams, body: releaseHeldNumberRequestSchema, response: deletedNumberSchema,
    handler: ({ principal, params }) => releaseHeldNumber(d, principal, params.id),
  });
  router.add({
    method: 'GET', url: numberPaths.requests, tag, access: 'admin', summary: 'Requests to Aesthetix support (international numbers, port-ins, unlisted numbers)', response: z.array(numberRequestSchema),
    handler: ({ principal }) => listNumberRequests(ctx, principal),
  });
  router.add({
    method: 'POST', url: numberPaths.requests, tag, access: 'admin', summary: 'Asks Aesthetix support for a number', status: 201,
    body: createNumberRequestSchema, response: numberRequestSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createNumberRequest(uow, principal, body)),
  });
  router.add({
    method: 'POST', url: '/v1/numbers/requests/:id/cancel', tag, access: 'admin', summary: 'Cancels an open request', params: idParams, response: numberRequestSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => cancelNumberRequest(uow, principal, params.id)),
  });
  router.add({
    method: 'PUT', url: '/v1/users/:id/inbound-number', tag, access: 'admin', summary: "A team member's one Inbound Number (null unassigns it)",
    params: idParams, body: setInboundNumberRequestSchema, response: userSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => setInboundNumber(uow, principal, params.id, body.phoneNumberId)),
  });
};
