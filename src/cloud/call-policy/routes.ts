import { callPolicyPath, callPolicySchema, updateCallPolicySchema } from '../../shared/cloud/call-policy';
import type { FeatureRoutes } from '../http/router';
import { getCallPolicy, updateCallPolicy } from './service';

/** The practice's call policy: everyone may read it (the desktop explains refusals), admins change it. */
export const callPolicyRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: callPolicyPath, tag: 'call-policy', access: 'user', summary: 'Where outbound calls and transfers may go, and the per-user hourly cap',
    response: callPolicySchema,
    handler: ({ principal }) => getCallPolicy(ctx, principal),
  });
  router.add({
    method: 'PUT', url: callPolicyPath, tag: 'call-policy', access: 'admin', summary: 'Change the allowed destination countries (null: own country only) or the hourly cap',
    body: updateCallPolicySchema, response: callPolicySchema,
    handler: ({ principal, body }) => updateCallPolicy(ctx, principal, body),
  });
};
