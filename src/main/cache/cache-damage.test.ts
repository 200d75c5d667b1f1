import { existsSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, contact, page, seedPage, user } from '../../../test/support/cache-fixtures';
import { tempDir } from '../../../test/support/cache-fixtures';
import { journalFileFor, openCache, type CallCache } from './cache';

/**
 * Issue #13 item 3: a damaged, emptied or deleted cache file. The cache is moved aside and rebuilt
 * (the next pull fills it); the unsent changes come back from the outbox journal and whatever of
 * the damaged file is still readable, with their owners; the user is told what was recovered.
 */
describe('a damaged cache file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: CallCache | undefined;
  const open = () => (cache = openCache({ file: tmp.file }));
  beforeEach(() => {
    tmp = tempDir('cache-damage-');
  });
  afterEach(() => {
    cache?.close();
    tmp.cleanup();
  });

  /** A cache with a practice in it and three unsent changes of usr_1, one of them already applied by the cloud. */
  function seed(): void {
    const c = open();
    c.applyPull(seedPage(10));
    const contacts = Array.from({ length: 400 }, (_, i) => contact(`ct${i}`, `Client ${i} with a long enough name`, `+1415555${String(i).padStart(4, '0')}`));
    c.applyPull(page({ contacts, calls: [call('c1', { twilioCallSid: 'CA1' }), call('c2', { twilioCallSid: 'CA2' })] }, 11));
    c.session.setUser(c.directory.user('usr_1')!, { cloud: 'https://cloud.example' });
    c.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'damage-k1-0000' });
    c.calls.setDispositionLocally({ callId: 'c2', dispositionId: 'dsp_booked', note: 'Friday', idempotencyKey: 'damage-k2-0000' });
    c.notifications.markReadLocally('ntf_1', 'damage-k3-0000');
    c.outbox.ack([{ idempotencyKey: 'damage-k3-0000', status: 'applied', replayed: false, entity: 'notification', entityId: 'ntf_1' }]);
    c.close();
    cache = undefined;
  }

  function expectRecovered(c: CallCache): void {
    expect(c.outbox.unsent().map((e) => [e.idempotencyKey, e.ownerUser, e.ownerCloud])).toEqual([
      ['damage-k1-0000', 'usr_1', 'https://cloud.example'],
      ['damage-k2-0000', 'usr_1', 'https://cloud.example'],
    ]);
    // Sent when their user signs in again (the rebuilt cache does not know who was signed in).
    c.session.setUser(user('usr_1'), { cloud: 'https://cloud.example' });
    expect(c.outbox.peekBatch(100, Date.now()).map((e) => e.mutation)).toEqual([
      { type: 'call.setDisposition', idempotencyKey: 'damage-k1-0000', payload: { callId: 'c1', dispositionId: 'dsp_booked' } },
      { type: 'call.setDisposition', idempotencyKey: 'damage-k2-0000', payload: { callId: 'c2', dispositionId: 'dsp_booked', note: 'Friday' } },
    ]);
  }

  it('opens a healthy file as it is, and the journal holds exactly the unsent changes', () => {
    seed();
    const c = open();
    expect(c.recovery).toBeUndefined();
    expect(c.outbox.unsent()).toHaveLength(2);
    const journal = readFileSync(journalFileFor(tmp.file), 'utf8').trim().split('\n');
    expect(journal.map((line) => (JSON.parse(line) as { add: { key: string } }).add.key)).toEqual(['damage-k1-0000', 'damage-k2-0000']);
  });

  it('half-truncated: moves it aside, rebuilds, recovers the unsent changes and says so', () => {
    seed();
    const size = statSync(tmp.file).size;
    truncateSync(tmp.file, Math.floor(size / 2));
    const c = open();
    expect(c.recovery).toMatchObject({ reason: expect.stringMatching(/^it was damaged/), recoveredChanges: 2 });
    expect(existsSync(c.recovery!.movedTo!)).toBe(true);
    expect(c.getCursor()).toBe(0);
    expectRecovered(c);
  });

  it('zero bytes: the unsent changes come back from the journal, not silently lost', () => {
    seed();
    truncateSync(tmp.file, 0);
    const c = open();
    expect(c.recovery).toEqual({ reason: 'it was empty or missing', movedTo: undefined, recoveredChanges: 2 });
    expectRecovered(c);
  });

  it('deleted, or overwritten with garbage: the same', () => {
    seed();
    unlinkSync(tmp.file);
    expectRecovered(open());
    cache!.close();
    writeFileSync(tmp.file, Buffer.alloc(8192, 0x5a));
    const c = open();
    expect(c.recovery).toMatchObject({ reason: expect.stringMatching(/^it was damaged/), recoveredChanges: 2 });
    expect(c.outbox.unsent()).toHaveLength(2);
  });

  it('a torn last line of the journal costs nothing else', () => {
    seed();
    writeFileSync(journalFileFor(tmp.file), readFileSync(journalFileFor(tmp.file), 'utf8') + '{"add":{"key":"torn');
    truncateSync(tmp.file, 0);
    expect(open().recovery?.recoveredChanges).toBe(2);
  });
});
