import type { SoftphoneBridge } from '../../../shared/ipc';
import { getBridge } from '../../bridge';

/** What Settings → Call policy may change: the allowed countries (null: own country only) and the hourly cap. */
export type CallPolicyChanges = Parameters<SoftphoneBridge['callPolicy']['update']>[0];

/** The practice's call policy, read from the cloud through main (it is not kept on this computer). */
export function loadCallPolicy(): ReturnType<SoftphoneBridge['callPolicy']['get']> {
  return getBridge().callPolicy.get();
}

/** Admins only (main and the cloud both check); answers with the policy the cloud saved. */
export function saveCallPolicy(changes: CallPolicyChanges): ReturnType<SoftphoneBridge['callPolicy']['update']> {
  return getBridge().callPolicy.update(changes);
}
