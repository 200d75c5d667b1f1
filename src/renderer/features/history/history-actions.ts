import type { SoftphoneBridge } from '../../../shared/ipc';
import type { HistoryFiltersInput } from '../../../shared/ipc/views';
import { getBridge } from '../../bridge';

/** One page of call history from the local cache (it works offline). */
export function fetchHistoryPage(input: HistoryFiltersInput): ReturnType<SoftphoneBridge['history']['list']> {
  return getBridge().history.list(input);
}
