import { beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage, user } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';

/**
 * Issue #13 items 1 and 2: an outbox row belongs to the user and cloud that wrote it. Another user
 * signing in, or the app starting against another cloud (a damaged settings file), never pushes,
 * counts or deletes it; its owner gets it back on their next sign-in.
 */
describe('outbox rows belong to their user and cloud', () => {
  let now = 1_000;
  const t = useTempCache({ now: () => now });
  const CLOUD = 'https://cloud.example';
  beforeEach(() => {
    now = 1_000;
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1', { twilioCallSid: 'CA1' }), call('c2', { twilioCallSid: 'CA2' })] }, 11));
    t.cache.session.setUser(t.cache.directory.user('usr_1')!, { cloud: CLOUD });
  });

  /** Keys are at least 8 characters. */
  const markRead = (short: string) =>
    t.cache.outbox.enqueue({ type: 'notification.markRead', idempotencyKey: `${short}-0000000`, payload: { notificationId: `ntf_${short}` } });

  it('pushes and counts only the signed-in owner’s rows', () => {
    t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'k-rita-1-0000000' });
    markRead('k-rita-2');
    expect(t.cache.outbox.pendingCount()).toBe(2);

    // Another receptionist signs in at the same desk: the cache is cleared for her, the outbox is not.
    t.cache.clearUserData();
    t.cache.session.setUser(user('usr_2', { email: 'mo@spa.example', name: 'Mo' }), { cloud: CLOUD });
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.outbox.peekBatch(100, now)).toEqual([]);
    expect(t.cache.outbox.nextDueAt()).toBeUndefined();
    markRead('k-mo-1');
    expect(t.cache.outbox.peekBatch(100, now).map((e) => e.idempotencyKey)).toEqual(['k-mo-1-0000000']);

    // Rita's rows survive a restart too, and are hers again when she signs back in.
    t.reopen();
    expect(t.cache.outbox.unsent().map((e) => [e.idempotencyKey, e.ownerUser])).toEqual([
      ['k-rita-1-0000000', 'usr_1'],
      ['k-rita-2-0000000', 'usr_1'],
      ['k-mo-1-0000000', 'usr_2'],
    ]);
    t.cache.clearUserData();
    t.cache.session.setUser(user('usr_1'), { cloud: CLOUD });
    expect(t.cache.outbox.peekBatch(100, now).map((e) => e.idempotencyKey)).toEqual(['k-rita-1-0000000', 'k-rita-2-0000000']);
    expect(t.cache.outbox.pendingCount()).toBe(2);
  });

  it('never hands a row to another cloud, even for the same user id', () => {
    markRead('k-real');
    t.cache.clearUserData();
    t.cache.session.setUser(t.cache.directory.user('usr_1') ?? user('usr_1'), { cloud: 'embedded' });
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.outbox.peekBatch(100, now)).toEqual([]);
    t.cache.session.setUser(user('usr_1'), { cloud: CLOUD });
    expect(t.cache.outbox.peekBatch(100, now).map((e) => e.idempotencyKey)).toEqual(['k-real-0000000']);
  });

  it('makes every waiting row of the owner due at once when the connection is back', () => {
    markRead('k1');
    markRead('k2');
    t.cache.outbox.markFailed(['k1-0000000'], 'offline', 61_000);
    t.cache.outbox.markFailed(['k2-0000000'], 'offline', 31_000);
    expect(t.cache.outbox.peekBatch(100, 2_000)).toEqual([]);
    expect(t.cache.outbox.nextDueAt()).toBe(31_000);
    expect(t.cache.outbox.makeAllDue(2_000)).toBe(2);
    expect(t.cache.outbox.peekBatch(100, 2_000).map((e) => e.idempotencyKey)).toEqual(['k1-0000000', 'k2-0000000']);
    expect(() => t.cache.outbox.makeAllDue(-1)).toThrow();
  });
});
