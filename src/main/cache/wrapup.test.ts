import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import { openCache } from './cache';
import { choiceLogFileFor } from './choice-log';
import { CacheInputError } from './errors';

describe('wrap-ups and setDispositionLocally', () => {
  const t = useTempCache();
  beforeEach(() => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1', { twilioCallSid: 'CA1' })] }, 11));
  });

  it('keeps a pending wrap-up across a restart', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z', locationId: 'loc_1' });
    t.cache.wrapups.upsert({ twilioCallSid: 'CA0', endedAt: '2025-03-01T09:00:00Z' });
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2025-03-01T10:03:00Z', dispositionId: 'dsp_booked', note: 'booked' });
    t.reopen();
    expect(t.cache.wrapups.list()).toMatchObject([
      { twilioCallSid: 'CA0', callId: null, state: 'pending' },
      { twilioCallSid: 'CA1', callId: 'c1', locationId: 'loc_1', dispositionId: 'dsp_booked', note: 'booked', state: 'chosen' },
    ]);
    expect(t.cache.wrapups.resolve('CA0')).toBe(true);
    expect(t.cache.wrapups.resolve('CA0')).toBe(false);
    expect(() => t.cache.wrapups.upsert({ twilioCallSid: '', endedAt: 'soon' })).toThrow(CacheInputError);
  });

  it("stores the receptionist's choice durably, writing one page to the WAL", () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z', locationId: 'loc_1' });
    const walBytes = () => statSync(`${t.file}-wal`).size;
    const before = walBytes();
    expect(t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'booked' })).toMatchObject({
      twilioCallSid: 'CA1', callId: 'c1', locationId: 'loc_1', dispositionId: 'dsp_booked', note: 'booked', state: 'chosen',
    });
    // One WAL frame (a 24-byte header and the table's 4 KB page): an upsert also rewrote the call index's page.
    expect(walBytes() - before).toBe(24 + 4096);
    t.reopen();
    expect(t.cache.wrapups.get('CA1')).toMatchObject({ dispositionId: 'dsp_booked', note: 'booked', state: 'chosen' });
    expect(t.cache.wrapups.setChoice('CA1', { dispositionId: null, note: 'booked' })).toMatchObject({ dispositionId: null, state: 'pending' });
    expect(t.cache.wrapups.setChoice('CA9', { dispositionId: 'dsp_booked', note: null })).toBeNull();
    expect(() => t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'x'.repeat(4001) })).toThrow(CacheInputError);
    expect(t.cache.wrapups.get('CA1')).toMatchObject({ dispositionId: null, note: 'booked' });
  });

  it("checks a pick against one read and writes nothing, not even the choice log's record, when the check refuses it", () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z', locationId: 'loc_1' });
    const logBytes = () => readFileSync(choiceLogFileFor(t.file));
    const before = logBytes();
    const targets: unknown[] = [];
    const refuse = (target: unknown) => {
      targets.push(target);
      throw new Error('refused');
    };
    expect(() => t.cache.wrapups.pick({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: 'n' }, refuse)).toThrow('refused');
    expect(() => t.cache.wrapups.pick({ twilioCallSid: 'CA1', dispositionId: 'dsp_nope', note: null }, refuse)).toThrow('refused');
    expect(() => t.cache.wrapups.pick({ twilioCallSid: 'CA9', dispositionId: 'dsp_booked', note: null }, refuse)).toThrow('refused');
    expect(targets).toEqual([{ locationId: 'loc_1', disposition: 'usable' }, { locationId: 'loc_1', disposition: 'unknown' }, null]);
    // Bad input is refused before the check runs.
    expect(() => t.cache.wrapups.pick({ twilioCallSid: '', dispositionId: 'dsp_booked', note: null }, refuse)).toThrow(CacheInputError);
    expect(() => t.cache.wrapups.pick({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: 'x'.repeat(4001) }, refuse)).toThrow(CacheInputError);
    expect(targets).toHaveLength(3);
    expect(t.cache.wrapups.get('CA1')).toMatchObject({ dispositionId: null, note: null, state: 'pending' });
    expect(logBytes().equals(before)).toBe(true);

    expect(t.cache.wrapups.pick({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: 'booked' }, () => undefined)).toMatchObject({
      dispositionId: 'dsp_booked', note: 'booked', state: 'chosen',
    });
    expect(logBytes().equals(before)).toBe(false);
    t.reopen();
    expect(t.cache.wrapups.get('CA1')).toMatchObject({ dispositionId: 'dsp_booked', note: 'booked', state: 'chosen' });
  });

  it('writes the call, the outbox row and the end of the wrap-up atomically', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z' });
    const entry = t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', note: 'Botox Tue', idempotencyKey: 'wrap-c1-0001' });
    expect(entry.mutation).toEqual({
      type: 'call.setDisposition',
      idempotencyKey: 'wrap-c1-0001',
      payload: { callId: 'c1', dispositionId: 'dsp_booked', note: 'Botox Tue' },
    });
    expect(t.cache.calls.get('c1')).toMatchObject({
      call: { dispositionId: 'dsp_booked', note: 'Botox Tue' },
      disposition: { label: 'Booked', deleted: false },
      pendingSync: true,
    });
    expect(t.cache.wrapups.list()).toEqual([]);
    expect(t.cache.calls.history({ query: 'botox' }).items.map((i) => i.call.id)).toEqual(['c1']);
  });

  it('re-indexes a changed note for search after the write is durable, and at the next open if the process died first', () => {
    t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', note: 'Botox Tue', idempotencyKey: 'wrap-c1-0001' });
    // The files as a kill -9 right after the write returned leaves them: the re-index has not run yet.
    const crashed = join(t.dir, 'crashed.sqlite');
    copyFileSync(t.file, crashed);
    copyFileSync(`${t.file}-wal`, `${crashed}-wal`);
    expect(t.cache.calls.history({ query: 'botox' }).items.map((i) => i.call.id)).toEqual(['c1']);
    const raw = new Database(crashed);
    expect(raw.prepare("SELECT count(*) FROM calls_fts WHERE calls_fts MATCH 'note:botox'").pluck().get()).toBe(0);
    raw.close();
    const reopened = openCache({ file: crashed });
    try {
      expect(reopened.calls.get('c1')?.call.note).toBe('Botox Tue');
      expect(reopened.calls.history({ query: 'botox' }).items.map((i) => i.call.id)).toEqual(['c1']);
    } finally {
      reopened.close();
    }
  });

  it('rolls everything back when one part fails', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z' });
    const raw = new Database(t.file);
    raw.exec("CREATE TRIGGER boom BEFORE DELETE ON wrapups BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    raw.close();
    expect(() => t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'wrap-c1-0001' })).toThrow(
      /disk on fire/,
    );
    expect(t.cache.calls.get('c1')?.call.dispositionId).toBeNull();
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.wrapups.list()).toHaveLength(1);
  });

  it('refuses an unknown or deleted disposition and writes nothing', () => {
    expect(() => t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_nope', idempotencyKey: 'wrap-c1-0001' })).toThrow(
      /Unknown disposition/,
    );
    t.cache.applyPull(page({ dispositions: [{ id: 'dsp_spam', accountId: 'acc_1', label: 'Spam call', position: 2, seq: 2, deletedAt: '2025-03-02T00:00:00Z' }] }, 12));
    expect(() => t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_spam', idempotencyKey: 'wrap-c1-0002' })).toThrow(
      /was deleted/,
    );
    expect(() => t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'bad key!' })).toThrow(
      CacheInputError,
    );
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.calls.get('c1')?.call.dispositionId).toBeNull();
  });

  it('marks a wrap-up whose commit waits for its call, across a restart, until the commit removes it (mark and all)', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2025-03-01T10:03:00Z', dispositionId: 'dsp_booked' });
    expect(t.cache.wrapups.waitingForCall().map((w) => w.twilioCallSid)).toEqual([]);
    expect(t.cache.wrapups.markWaitingForCall('CA1', 1_000)).toBe(true);
    // Done for the receptionist: the picker's list leaves it out; the list of every wrap-up keeps it.
    t.cache.wrapups.upsert({ twilioCallSid: 'CA2', endedAt: '2025-03-01T10:04:00Z' });
    expect(t.cache.wrapups.open().map((w) => w.twilioCallSid)).toEqual(['CA2']);
    expect(t.cache.wrapups.list().map((w) => w.twilioCallSid)).toEqual(['CA1', 'CA2']);
    expect(t.cache.wrapups.waitingForCall().map((w) => w.twilioCallSid)).toEqual(['CA1']);
    expect(t.cache.wrapups.markWaitingForCall('CA_none', 1_000)).toBe(false);
    expect(() => t.cache.wrapups.markWaitingForCall('', 1_000)).toThrow(CacheInputError);
    expect(() => t.cache.wrapups.markWaitingForCall('CA1', -1)).toThrow(CacheInputError);
    // The receptionist changes the note meanwhile: the row is upserted, the mark stays.
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2025-03-01T10:03:00Z', dispositionId: 'dsp_booked', note: 'later' });
    t.reopen();
    expect(t.cache.wrapups.waitingForCall().map((w) => w.twilioCallSid)).toEqual(['CA1']);
    t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'wrap-c1-0002', twilioCallSid: 'CA1' });
    expect(t.cache.wrapups.list().map((w) => w.twilioCallSid)).toEqual(['CA2']);
    expect(t.cache.wrapups.waitingForCall().map((w) => w.twilioCallSid)).toEqual([]);
  });

  it('reopens a waiting wrap-up whose choice cannot be committed: back in the picker, with no choice, the note kept', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2025-03-01T10:03:00Z', dispositionId: 'dsp_booked', note: 'wants Friday' });
    t.cache.wrapups.markWaitingForCall('CA1', 1_000);
    expect(t.cache.wrapups.reopen('CA1')).toBe(true);
    t.reopen();
    expect(t.cache.wrapups.waitingForCall()).toEqual([]);
    expect(t.cache.wrapups.open()).toEqual([expect.objectContaining({ twilioCallSid: 'CA1', dispositionId: null, note: 'wants Friday', state: 'pending' })]);
    expect(t.cache.wrapups.reopen('CA_none')).toBe(false);
    expect(() => t.cache.wrapups.reopen('')).toThrow(CacheInputError);
  });

  it('applies a choice made before the call was pulled when it arrives', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA9', callId: 'c9', endedAt: '2025-03-01T12:00:00Z' });
    t.cache.calls.setDispositionLocally({ callId: 'c9', dispositionId: 'dsp_follow', idempotencyKey: 'wrap-c9-0001', twilioCallSid: 'CA9' });
    expect(t.cache.wrapups.list()).toEqual([]);
    t.cache.applyPull(page({ calls: [call('c9', { twilioCallSid: 'CA9', dispositionId: null })] }, 12));
    expect(t.cache.calls.get('c9')?.disposition?.label).toBe('Follow Up');
    // Once the cloud has it, its value wins.
    t.cache.outbox.ack([{ idempotencyKey: 'wrap-c9-0001', status: 'applied', replayed: false, entity: 'call', entityId: 'c9' }]);
    t.cache.applyPull(page({ calls: [call('c9', { twilioCallSid: 'CA9', dispositionId: 'dsp_follow', seq: 2 })] }, 13));
    expect(t.cache.calls.get('c9')).toMatchObject({ call: { dispositionId: 'dsp_follow' }, pendingSync: false });
  });

  it('keeps the signed-in user', () => {
    const rita = t.cache.directory.user('usr_1')!;
    t.cache.session.setUser(rita);
    expect(t.cache.session.user()?.name).toBe('Rita Reception');
    expect(() => t.cache.session.setUser({ ...rita, role: 'owner' } as never)).toThrow(CacheInputError);
    expect(t.cache.session.user()?.role).toBe('user');
  });

  it('forgets every cached row on clearUserData, but not the outbox', () => {
    t.cache.session.setUser(t.cache.directory.user('usr_1')!, { cloud: 'https://cloud.example' });
    t.cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'wrap-c1-0001' });
    t.cache.syncMeta.set('lastPushAt', '2025-03-01T00:00:00Z');
    expect(() => t.cache.syncMeta.set('cursor', 99)).toThrow(CacheInputError);
    expect(t.cache.syncMeta.get('lastPushAt')).toBe('2025-03-01T00:00:00Z');
    t.cache.clearUserData();
    expect(t.cache.getCursor()).toBe(0);
    expect(t.cache.session.owner()).toBeNull();
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.outbox.unsent()).toMatchObject([{ idempotencyKey: 'wrap-c1-0001', ownerUser: 'usr_1', ownerCloud: 'https://cloud.example' }]);
    expect(t.cache.calls.history({}).items).toEqual([]);
    expect(t.cache.search({ query: 'jane' })).toEqual({ contacts: [], calls: [] });
  });
});
