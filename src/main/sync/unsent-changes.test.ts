import { describe, expect, it } from 'vitest';
import { user } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import type { Notice } from '../../shared/ipc';
import { ManualClock } from '../../shared/testing/manual-clock';
import { outboxHandlers } from '../ipc/handlers/outbox';
import { createMemoryVault } from '../session/credential-vault';
import { SessionService } from '../session/session-service';
import { createFakeCloud } from '../testing/fake-cloud';
import { cacheSyncStore } from './cache-sync-store';
import { onRejectedChange } from './rejected-changes';
import { SyncEngine } from './sync-engine';
import { describeMutation } from './unsent-changes';

/**
 * Issue #13 item 2: an admin can see and export the changes on this computer that no cloud has
 * accepted (everyone's); a receptionist sees only their own; nothing is deleted by looking.
 */
describe('unsent changes on this computer', () => {
  const NOW = Date.parse('2026-12-01T10:00:00.000Z');
  const t = useTempCache({ now: () => NOW });
  const CLOUD = 'https://cloud.example';
  const rita = user('usr_1', { role: 'user' });
  const ana = user('usr_9', { role: 'admin', email: 'ana@spa.example', name: 'Ana' });

  const setUp = () => {
    t.cache.session.setUser(rita, { cloud: CLOUD });
    t.cache.outbox.enqueue({ type: 'call.setNote', idempotencyKey: 'k-rita-note-0001', payload: { callId: 'c1', note: 'Wants a Botox consult' } });
    t.cache.clearUserData();
    t.cache.session.setUser(ana, { cloud: CLOUD });
    t.cache.outbox.enqueue({ type: 'contact.create', idempotencyKey: 'k-ana-contact-01', payload: { name: 'Ada Lovelace' } });
  };
  const handlersFor = (signedIn: typeof rita | undefined) =>
    outboxHandlers({ cache: t.cache, session: { user: signedIn } as never, cloud: () => CLOUD, now: () => new Date(NOW) });

  it('an admin sees everyone’s, with owner and words', async () => {
    setUp();
    const list = await handlersFor(ana)['outbox.listUnsent'](undefined, {} as never);
    expect(list.scope).toBe('all');
    expect(list.changes.map((c) => [c.summary, c.ownerUserId, c.mine, c.state])).toEqual([
      ['Note on a call: “Wants a Botox consult”', 'usr_1', false, 'waiting'],
      ['New contact Ada Lovelace', 'usr_9', true, 'waiting'],
    ]);
  });

  it('a receptionist sees only their own; another cloud’s rows are not theirs', async () => {
    setUp();
    const list = await handlersFor(rita)['outbox.listUnsent'](undefined, {} as never);
    expect(list.scope).toBe('mine');
    expect(list.changes.map((c) => c.idempotencyKey)).toEqual(['k-rita-note-0001']);
    const elsewhere = outboxHandlers({ cache: t.cache, session: { user: rita } as never, cloud: () => 'https://other.example' });
    expect((await elsewhere['outbox.listUnsent'](undefined, {} as never)).changes).toEqual([]);
  });

  it('exports the full content as JSON and deletes nothing', async () => {
    setUp();
    const file = await handlersFor(ana)['outbox.exportUnsent'](undefined, {} as never);
    expect(file.fileName).toBe('aesthetix-unsent-changes-2026-12-01T10-00-00-000Z.json');
    const document = JSON.parse(file.json) as { scope: string; changes: Array<{ mutation: unknown }> };
    expect(document.scope).toBe('all');
    expect(document.changes[0]!.mutation).toEqual({ type: 'call.setNote', idempotencyKey: 'k-rita-note-0001', payload: { callId: 'c1', note: 'Wants a Botox consult' } });
    expect(t.cache.outbox.unsent()).toHaveLength(2);
  });

  it('dismisses only refused changes the caller can see, by explicit choice', async () => {
    setUp();
    t.cache.outbox.ack([{ idempotencyKey: 'k-ana-contact-01', status: 'rejected', replayed: false, code: 'VALIDATION_FAILED', message: 'Name taken' }]);
    const mine = handlersFor(ana);
    const before = await mine['outbox.listUnsent'](undefined, {} as never);
    expect(before.changes.find((c) => c.idempotencyKey === 'k-ana-contact-01')).toMatchObject({ state: 'refused', lastError: 'VALIDATION_FAILED: Name taken' });
    // A waiting change cannot be dismissed; neither can one the caller cannot see.
    await expect(async () => mine['outbox.dismissRefused']({ keys: ['k-rita-note-0001'] }, {} as never)).rejects.toThrow(/Only changes the cloud refused/);
    await expect(async () => handlersFor(rita)['outbox.dismissRefused']({ keys: ['k-ana-contact-01'] }, {} as never)).rejects.toThrow(/Only changes/);
    const after = await mine['outbox.dismissRefused']({ keys: ['k-ana-contact-01'] }, {} as never);
    expect(after.changes.map((c) => c.idempotencyKey)).toEqual(['k-rita-note-0001']);
  });

  it('a change the cloud refuses is told and kept (refused), not deleted', async () => {
    setUp();
    const clock = new ManualClock(Date.parse('2026-12-01T10:00:00.000Z'));
    const cloud = createFakeCloud({
      push: async (_token, mutations) => ({
        cursor: 1,
        results: mutations.map((m) => ({ idempotencyKey: m.idempotencyKey, status: 'rejected' as const, replayed: false, code: 'NOT_FOUND' as const, message: 'That call no longer exists.' })),
      }),
    });
    const session = new SessionService({ cloud: cloud.api, vault: createMemoryVault(), clock, deviceName: 't' });
    await session.signIn('front@glow.example', 'correct horse');
    const notices: Notice[] = [];
    const engine = new SyncEngine({ store: cacheSyncStore(t.cache), cloud: cloud.api, session, clock, onRejected: onRejectedChange({ notify: (n) => notices.push(n) }) });
    engine.start();
    await engine.syncNow();
    engine.stop();
    expect(notices.map((n) => n.message)).toEqual(['A change could not be saved: That call no longer exists.']);
    expect(t.cache.outbox.unsent().find((e) => e.idempotencyKey === 'k-ana-contact-01')).toMatchObject({ state: 'rejected' });
    expect(t.cache.outbox.pendingCount()).toBe(0);
  });

  it('refuses when nobody is signed in', () => {
    expect(() => handlersFor(undefined)['outbox.listUnsent'](undefined, {} as never)).toThrow(/Sign in/);
  });

  it('describes every mutation type in words', () => {
    expect(describeMutation({ type: 'disposition.rename', idempotencyKey: 'k-00000000', payload: { dispositionId: 'd1', label: 'Booked' } })).toBe('Renamed a disposition to “Booked”');
    expect(describeMutation({ type: 'call.setDisposition', idempotencyKey: 'k-00000000', payload: { callId: 'c1', dispositionId: null } })).toBe('Cleared the disposition of a call');
  });
});
