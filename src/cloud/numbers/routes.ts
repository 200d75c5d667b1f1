import { z } from 'zod';
import { updatePhoneNumberSchema } from '../../shared/cloud/api';
import { phoneNumberSchema } from '../../shared/cloud/entities';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { listNumbers, updateNumber } from './service';

/** The practice's phone numbers and their call settings. */
export const numberRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/numbers', tag: 'numbers', access: 'user', summary: "The account's numbers", response: z.array(phoneNumberSchema),
    handler: ({ principal }) => listNumbers(ctx, principal),
  });
  router.add({
    method: 'PATCH', url: '/v1/numbers/:id', tag: 'numbers', access: 'admin', summary: "A number's settings, including whose inbound number it is",
    params: idParams, body: updatePhoneNumberSchema, response: phoneNumberSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateNumber(uow, principal, params.id, body)),
  });
};
