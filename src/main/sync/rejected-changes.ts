import type { MutationResult } from '../../shared/cloud';
import type { Notice } from '../../shared/ipc';

/**
 * The cloud refused a queued change for good: tell the receptionist. Its local effect is already
 * undone (the overlay); the row itself stays, marked refused, in Settings → "Changes not yet in the
 * cloud" until someone dismisses it there — nothing is deleted without an explicit choice.
 */
export function onRejectedChange(deps: { notify: (notice: Notice) => void }) {
  return (result: Extract<MutationResult, { status: 'rejected' }>): void => {
    deps.notify({ id: `rejected-${result.idempotencyKey}`, level: 'warning', message: `A change could not be saved: ${result.message}` });
  };
}
