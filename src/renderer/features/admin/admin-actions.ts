import type { SoftphoneBridge } from '../../../shared/ipc';
import type { DispositionAdminInput } from '../../../shared/ipc/views';
import { getBridge } from '../../bridge';
import { usePractice } from '../../state/practice';

/** Creates, renames, deletes or reorders a disposition; on success every screen sees the new list. */
export async function administerDispositions(input: DispositionAdminInput): ReturnType<SoftphoneBridge['dispositions']['admin']> {
  const result = await getBridge().dispositions.admin(input);
  if (result.ok) usePractice.getState().setDispositions(result.value);
  return result;
}
