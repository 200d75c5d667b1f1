import { z } from 'zod';
import { addSendingDomainSchema, sendingDomainSchema } from '../../shared/cloud/sending-domains';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { addSendingDomain, listSendingDomains, removeSendingDomain, verifySendingDomain } from './service';

/** Settings → Email sending (admins): the practice's sending domains. */
export const sendingDomainRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'sending-domains';
  router.add({
    method: 'GET', url: '/v1/sending-domains', tag, access: 'admin', summary: "The practice's sending domains, their DNS records and status",
    response: z.array(sendingDomainSchema),
    handler: ({ principal }) => listSendingDomains(ctx.db, principal.accountId),
  });
  router.add({
    method: 'POST', url: '/v1/sending-domains', tag, access: 'admin', status: 201, body: addSendingDomainSchema,
    summary: 'Connect a sending domain: its verification and DKIM TXT records are issued (pending until Verify finds them)',
    response: sendingDomainSchema,
    handler: ({ principal, body }) => addSendingDomain(ctx, principal, body),
  });
  router.add({
    method: 'POST', url: '/v1/sending-domains/:id/verify', tag, access: 'admin', params: idParams,
    summary: "Look the domain's records up in DNS now: verified, or failed with the reason (NXDOMAIN, no matching record, timeout…)",
    response: sendingDomainSchema,
    handler: ({ principal, params }) => verifySendingDomain(ctx, principal.accountId, params.id, principal.userId),
  });
  router.add({
    method: 'DELETE', url: '/v1/sending-domains/:id', tag, access: 'admin', status: 204, params: idParams,
    summary: 'Remove a sending domain (Send Email steps From it are refused until it is connected and verified again)',
    handler: ({ principal, params }) => removeSendingDomain(ctx, principal, params.id),
  });
};
