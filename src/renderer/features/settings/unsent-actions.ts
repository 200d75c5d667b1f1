import type { SyncStatus } from '../../../shared/ipc/sync-status';
import type { UnsentList } from '../../../shared/ipc/contract-local-first';
import { getBridge } from '../../bridge';

/** Tries to send what is waiting; resolves with how many of the signed-in person's changes still wait. */
export async function sendWaiting(): Promise<{ pending: number; status: SyncStatus | null; error: string | null }> {
  const result = await getBridge().sync.now();
  if (!result.ok) return { pending: -1, status: null, error: result.error.message };
  return { pending: result.value.pending, status: result.value, error: result.value.lastError };
}

export async function loadUnsent(): Promise<UnsentList | string> {
  const result = await getBridge().outbox.listUnsent();
  return result.ok ? result.value : result.error.message;
}

/** Forgets changes the cloud refused (the person chose to); resolves with the new list or main's refusal. */
export async function dismissRefused(keys: string[]): Promise<UnsentList | string> {
  const result = await getBridge().outbox.dismissRefused({ keys });
  return result.ok ? result.value : result.error.message;
}

/** Loads the list now and again whenever the waiting count changes; returns the unsubscribe. */
export function followUnsent(onList: (list: UnsentList | string) => void): () => void {
  let last: number | undefined;
  let live = true;
  const load = () => void loadUnsent().then((list) => live && onList(list));
  const off = getBridge().on('sync.status', (status) => {
    if (status.pending !== last) load();
    last = status.pending;
  });
  load();
  return () => {
    live = false;
    off();
  };
}

/** Saves main's export as a file through the browser's own download (works in both hosts). */
export async function exportUnsent(): Promise<string> {
  const result = await getBridge().outbox.exportUnsent();
  if (!result.ok) return result.error.message;
  const url = URL.createObjectURL(new Blob([result.value.json], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = result.value.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return `Saved a copy as ${result.value.fileName}.`;
}
