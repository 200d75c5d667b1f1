import { IpcFailure } from '../../shared/ipc';
import type { WrapupChooseInput, WrapupStartInput, WrapupView } from '../../shared/ipc/views';
import type { CallCache } from '../cache/cache';
import { newIdempotencyKey } from '../cache/idempotency-key';

/** The sync-meta key marking a wrap-up whose commit waits for its call to arrive from the cloud. */
export const commitMarker = (twilioCallSid: string) => `commit.${twilioCallSid}`;

export interface WrapUpDeps {
  cache: CallCache;
  /** Something was written to the outbox: push it soon. */
  kickSync: () => void;
  /** The cache changed locally: views refresh at once, before any round trip. */
  onLocalChange: (entities: string[]) => void;
}

/**
 * The wrap-ups main keeps in the cache (a crash, a reload or another call never loses one): start,
 * choose, commit (the call row and the outbox row in one durable write) or dismiss.
 */
export class WrapUps {
  constructor(private readonly deps: WrapUpDeps) {}

  /** Wrap-ups whose choice is committed but waiting for the call to arrive are done for the user. */
  list(): WrapupView[] {
    const { cache } = this.deps;
    return cache.wrapups.list().filter((w) => cache.syncMeta.get(commitMarker(w.twilioCallSid)) === null);
  }

  start(input: WrapupStartInput): WrapupView {
    const existing = this.deps.cache.wrapups.get(input.twilioCallSid);
    return this.deps.cache.wrapups.upsert({
      ...input,
      callId: input.callId ?? existing?.callId ?? null,
      dispositionId: existing?.dispositionId ?? null,
      note: existing?.note ?? null,
    });
  }

  choose({ twilioCallSid, dispositionId, note }: WrapupChooseInput): WrapupView {
    const { cache } = this.deps;
    const existing = cache.wrapups.get(twilioCallSid);
    if (!existing) throw new IpcFailure('NOT_FOUND', 'That call is no longer waiting for a disposition.');
    if (dispositionId !== null && !cache.dispositions.active().some((d) => d.id === dispositionId)) {
      throw new IpcFailure('NOT_FOUND', 'That disposition no longer exists. Pick another.');
    }
    return cache.wrapups.upsert({ ...existing, dispositionId, note });
  }

  /** Commits a wrap-up if its call is known locally; otherwise marks it to be committed when it is. */
  commit(twilioCallSid: string): boolean {
    const { cache } = this.deps;
    const wrapup = cache.wrapups.get(twilioCallSid);
    if (!wrapup) return false;
    if (wrapup.dispositionId === null) throw new IpcFailure('NO_DISPOSITION', 'Choose a disposition first.');
    const callId = wrapup.callId ?? cache.calls.getBySid(twilioCallSid)?.call.id ?? null;
    if (!callId) {
      cache.syncMeta.set(commitMarker(twilioCallSid), Date.now());
      this.deps.kickSync();
      return false;
    }
    cache.calls.setDispositionLocally({
      callId,
      dispositionId: wrapup.dispositionId,
      note: wrapup.note,
      idempotencyKey: newIdempotencyKey('disposition'),
      twilioCallSid,
    });
    cache.syncMeta.set(commitMarker(twilioCallSid), null);
    this.deps.onLocalChange(['calls']);
    this.deps.kickSync();
    return true;
  }

  /** No disposition applies (desk phone, skipped): forget the wrap-up. */
  dismiss(twilioCallSid: string): boolean {
    this.deps.cache.syncMeta.set(commitMarker(twilioCallSid), null);
    return this.deps.cache.wrapups.resolve(twilioCallSid);
  }

  /** After each pull: commit wrap-ups that were waiting for their call to be known. */
  commitWaiting(): number {
    let committed = 0;
    for (const wrapup of this.deps.cache.wrapups.list()) {
      if (this.deps.cache.syncMeta.get(commitMarker(wrapup.twilioCallSid)) !== null && this.commit(wrapup.twilioCallSid)) committed++;
    }
    return committed;
  }
}
