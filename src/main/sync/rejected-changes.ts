import type { MutationResult } from '../../shared/cloud';
import type { Notice } from '../../shared/ipc';
import type { CallCache } from '../cache/cache';

/** The cloud refused a queued change for good: tell the receptionist, and drop it (its local effect is undone by the overlay). */
export function onRejectedChange(deps: { cache: Pick<CallCache, 'outbox'>; notify: (notice: Notice) => void }) {
  return (result: Extract<MutationResult, { status: 'rejected' }>): void => {
    deps.notify({ id: `rejected-${result.idempotencyKey}`, level: 'warning', message: `A change could not be saved: ${result.message}` });
    deps.cache.outbox.dropRejected([result.idempotencyKey]);
  };
}
