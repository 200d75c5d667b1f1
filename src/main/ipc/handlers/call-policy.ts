import type { z } from 'zod';
import { callPolicyPath, callPolicySchema } from '../../../shared/cloud/call-policy';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CloudApi } from '../../cloud-client/cloud-client';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export interface CallPolicyHandlerDeps {
  session: Pick<SessionService, 'authed' | 'user'>;
  api: Pick<CloudApi, 'call'>;
}

/** Said when the cloud cannot be reached: the policy is kept online, never cached on this computer. */
export const CALL_POLICY_OFFLINE = 'The cloud cannot be reached. Connect to change the call policy: it is kept online, not on this computer.';

/**
 * Settings → Call policy against the cloud's /v1/call-policy. Everyone signed in reads it (a refusal
 * tells them where to look); changing it is refused here for non-admins before the cloud is asked
 * (the cloud checks again). Cloud refusals keep their stable code and message.
 */
export function callPolicyHandlers(deps: CallPolicyHandlerDeps): NamespaceHandlers<'callPolicy'> {
  const request = (method: 'GET' | 'PUT', body: unknown): Promise<z.output<typeof callPolicySchema>> =>
    viaCloud(() => deps.session.authed((token) => deps.api.call(token, method, callPolicyPath, body, callPolicySchema)), {
      unreachable: CALL_POLICY_OFFLINE,
      notSupported: 'This cloud does not offer a call policy yet.',
    });

  return {
    'callPolicy.get': () => request('GET', undefined),
    'callPolicy.update': async (changes) => {
      if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only an account admin can change the call policy.');
      return request('PUT', changes);
    },
  };
}
