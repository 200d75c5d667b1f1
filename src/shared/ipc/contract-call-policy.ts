import { z } from 'zod';
import { callPolicySchema, updateCallPolicySchema } from '../cloud/call-policy';

/**
 * IPC channels of Settings → Call policy (issue [security]): where outbound calls, transfers and
 * workflow calls/texts may go, and the per-user hourly cap. The policy lives in the cloud: any
 * signed-in user reads it (refusals point to it), only admins change it. Merged by contract.ts.
 */
export const callPolicyChannels = {
  'callPolicy.get': { input: z.undefined(), output: callPolicySchema },
  /** The desktop changes the allowed countries (null: own country only) and the cap, never the practice's country. */
  'callPolicy.update': { input: updateCallPolicySchema.omit({ country: true }), output: callPolicySchema },
} as const;
