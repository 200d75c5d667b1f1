import type { CreateNumberRequest, DeleteNumberRequest, NumberSearchQuery, PurchaseRequest } from '../../../shared/cloud/numbers';
import type { IpcResult, SoftphoneBridge } from '../../../shared/ipc';
import { getBridge } from '../../bridge';
import { useNumbers } from './numbers-store';

/**
 * The numbers feature's only door to main (Settings → Phone Numbers and the member's Inbound
 * Number). Each action returns the IpcResult so the screen can show the outcome, and refreshes
 * the lists another screen shows.
 */

const store = () => useNumbers.getState();

/** What an admin may change on a number (the cloud's PATCH body). */
export type NumberChanges = Parameters<SoftphoneBridge['numbers']['update']>[0]['changes'];

/** The live numbers, members, locations and prices; on failure the list says why. */
export async function loadNumbers(): Promise<void> {
  const result = await getBridge().numbers.overview();
  if (result.ok) store().set({ overview: result.value, loadError: null });
  else store().set({ loadError: result.error.message });
}

export async function loadDeletedNumbers(): Promise<void> {
  const result = await getBridge().numbers.deleted();
  if (result.ok) store().set({ deleted: result.value, loadError: null });
  else store().set({ loadError: result.error.message });
}

export async function loadSupportRequests(): Promise<void> {
  const result = await getBridge().numbers.requests();
  if (result.ok) store().set({ requests: result.value, loadError: null });
  else store().set({ loadError: result.error.message });
}

export function searchNumbers(query: NumberSearchQuery) {
  return getBridge().numbers.search(query);
}

/** Buys the selected numbers; the list refreshes when at least one was bought, or is listed as unconfirmed while Twilio is asked again. */
export async function buyNumbers(request: PurchaseRequest) {
  const result = await getBridge().numbers.buy(request);
  if (result.ok && result.value.results.some((r) => r.status === 'bought' || (r.status === 'failed' && r.unconfirmed))) await loadNumbers();
  return result;
}

export async function saveNumberSettings(numberId: string, changes: NumberChanges) {
  return refreshedAfter(await getBridge().numbers.update({ numberId, changes }));
}

export async function deleteNumber(numberId: string, request: DeleteNumberRequest) {
  const result = await getBridge().numbers.delete({ numberId, request });
  if (result.ok) await Promise.all([loadNumbers(), loadDeletedNumbers()]);
  return result;
}

export async function restoreNumber(numberId: string) {
  const result = await getBridge().numbers.restore({ numberId });
  if (result.ok) await Promise.all([loadNumbers(), loadDeletedNumbers()]);
  return result;
}

export async function releaseHeldNumber(numberId: string) {
  const result = await getBridge().numbers.releaseHeld({ numberId, releaseConfirmation: 'Release' });
  if (result.ok) await loadDeletedNumbers();
  return result;
}

/** My Staff → a member's Inbound Number (null unassigns). A number another member holds is refused with their name. */
export async function setInboundNumber(userId: string, phoneNumberId: string | null) {
  return refreshedAfter(await getBridge().numbers.setInboundNumber({ userId, phoneNumberId }));
}

export async function requestFromSupport(request: CreateNumberRequest) {
  const result = await getBridge().numbers.createRequest(request);
  if (result.ok) await loadSupportRequests();
  return result;
}

export async function cancelSupportRequest(requestId: string) {
  const result = await getBridge().numbers.cancelRequest({ requestId });
  if (result.ok) await loadSupportRequests();
  return result;
}

/** The signed-in user's own Inbound Number, from main's cache (read-only; works offline). */
export function loadMyInboundNumber() {
  return getBridge().numbers.mine();
}

async function refreshedAfter<T>(result: IpcResult<T>): Promise<IpcResult<T>> {
  if (result.ok) await loadNumbers();
  return result;
}
