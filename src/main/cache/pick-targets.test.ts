import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, disposition, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import type { openCache } from './cache';
import { PickTargets } from './pick-targets';
import type { ChoiceTarget } from './types';
import { choiceTarget } from './wrapups';

/**
 * The pick's checks answer from memory (pick-targets.ts); these tests hold that mirror to what the
 * cache file says, read on a connection of its own, after every kind of write, including those
 * that roll back and those another connection makes.
 */

const SIDS = ['CA1', 'CA2', 'CA3', 'CA4'];
const DISPOSITIONS = ['dsp_booked', 'dsp_follow', 'dsp_spam', 'dsp_new', 'dsp_none'];
const LOCATIONS = [null, 'loc_1', 'loc_2'];

/** What the pick's check is given, through the public path; the check throws so nothing is written. */
function checkedTarget(cache: ReturnType<typeof openCache>, sid: string, dispositionId: string): ChoiceTarget | null {
  let seen: ChoiceTarget | null | undefined;
  expect(() =>
    cache.wrapups.pick({ twilioCallSid: sid, dispositionId, note: null }, (target) => {
      seen = target;
      throw new Error('checked');
    }),
  ).toThrow('checked');
  return seen!;
}

function expectMirrorMatchesFile(cache: ReturnType<typeof openCache>, file: string, step: string): void {
  const reader = new Database(file, { readonly: true });
  try {
    for (const sid of SIDS) {
      for (const id of DISPOSITIONS) expect(checkedTarget(cache, sid, id), `${step}: ${sid} × ${id}`).toEqual(choiceTarget(reader, sid, id));
    }
  } finally {
    reader.close();
  }
}

/** A small deterministic generator, so a failure names a step that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

// Many reads after each of 120 writes, and a pull writer thread started from source: seconds on a loaded machine.
describe('the pick checks answer from memory what the cache file holds', { timeout: 60_000 }, () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const t = useTempCache({ prefix: 'pick-targets-' });

  it('after every kind of write, in a long random walk, committed or rolled back', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: SIDS.map((sid, i) => call(`c${i + 1}`, { twilioCallSid: sid })) }, 11));
    const next = random(21);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    let cursor = 12;
    const steps: [string, () => void][] = [
      ['a call ends (wrap-up added or moved)', () => t.cache.wrapups.upsert({ twilioCallSid: pick(SIDS), endedAt: '2026-12-01T10:00:00Z', locationId: pick(LOCATIONS) })],
      ['a wrap-up resolved', () => t.cache.wrapups.resolve(pick(SIDS))],
      ['a wrap-up reopened', () => t.cache.wrapups.reopen(pick(SIDS))],
      ['a choice stored', () => t.cache.wrapups.setChoice(pick(SIDS), { dispositionId: pick(DISPOSITIONS), note: 'n' })],
      ['a choice committed to its call (the wrap-up goes)', () => {
        const i = Math.floor(next() * SIDS.length);
        t.cache.calls.setDispositionLocally({ callId: `c${i + 1}`, dispositionId: 'dsp_booked', note: null, idempotencyKey: `pick-targets-${cursor++}` });
      }],
      ['a pulled disposition added, deleted or restored', () => {
        const id = pick(DISPOSITIONS.slice(0, 4));
        t.cache.applyPull(page({ dispositions: [disposition(id, id, 5, { seq: cursor, deletedAt: next() < 0.5 ? '2026-12-01T10:00:00Z' : null })] }, cursor++));
      }],
      ['a pulled page refused half way (a disposition written, then a call the database refuses: all rolled back)', () => {
        const bad = page({ dispositions: [disposition('dsp_spam', 'Spam', 2, { seq: cursor, deletedAt: '2026-12-01T10:00:00Z' })], calls: [{ ...call('c_bad'), direction: 'sideways' } as never] }, cursor++);
        expect(() => t.cache.applyPull(bad)).toThrow();
      }],
    ];
    for (let i = 0; i < 120; i++) {
      const [name, run] = pick(steps);
      try {
        run();
      } catch (error) {
        // A refusal (e.g. choosing on a wrap-up that is gone) is one more write that did not happen.
        if (!/refused|not found|no such|CHECK|sideways|was deleted|Unknown disposition/i.test(String(error))) throw error;
      }
      expectMirrorMatchesFile(t.cache, t.file, `step ${i}, ${name}`);
    }
    // Signing out empties the wrap-ups and the dispositions at once.
    t.cache.clearUserData();
    expectMirrorMatchesFile(t.cache, t.file, 'signed out');
  });

  it('answers a pick right after its call ended without a read: the write settled it', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2026-12-01T10:00:00Z', locationId: 'loc_1' });
    const scratch = new Database(':memory:');
    const statementPrototype = Object.getPrototypeOf(scratch.prepare('SELECT 1')) as { get: () => unknown; all: () => unknown };
    scratch.close();
    const reads = [vi.spyOn(statementPrototype, 'get'), vi.spyOn(statementPrototype, 'all')];
    let readsBeforeCheck = -1;
    t.cache.wrapups.pick({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: null }, (target) => {
      readsBeforeCheck = reads.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      expect(target).toEqual({ locationId: 'loc_1', disposition: 'usable' });
    });
    expect(readsBeforeCheck).toBe(0);
  });

  it('reads the file while the pull writer thread may write, and holds its writes once it has ended', async () => {
    t.cache.applyPull(seedPage(10));
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2026-12-01T10:00:00Z', locationId: 'loc_1' });
    expect(checkedTarget(t.cache, 'CA1', 'dsp_spam')).toEqual({ locationId: 'loc_1', disposition: 'usable' });
    const writer = t.cache.startPullWriter();
    await writer.ready;
    await writer.write(page({ dispositions: [disposition('dsp_spam', 'Spam call', 2, { seq: 2, deletedAt: '2026-12-01T10:00:00Z' })] }, 11));
    // Deleted by the other connection: the pick sees it at once (it reads while the thread runs).
    expect(checkedTarget(t.cache, 'CA1', 'dsp_spam')).toEqual({ locationId: 'loc_1', disposition: 'deleted' });
    await writer.close();
    expectMirrorMatchesFile(t.cache, t.file, 'after the pull writer closed');
    expect(checkedTarget(t.cache, 'CA1', 'dsp_spam')).toEqual({ locationId: 'loc_1', disposition: 'deleted' });
  });
});

describe('PickTargets on a bare connection', () => {
  const t = useTempCache({ prefix: 'pick-targets-bare-' });

  it('forgets what a rolled-back transaction wrote and catches up with writes nobody told it about', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.close();
    const db = new Database(t.file);
    try {
      const targets = new PickTargets(db);
      expect(targets.target('CA9', 'dsp_booked')).toBeNull();
      const insert = db.prepare("INSERT INTO wrapups (twilio_call_sid, ended_at, location_id, state, updated_at) VALUES (?, '2026-12-01T10:00:00Z', ?, 'pending', 0)");
      expect(() =>
        db.transaction(() => {
          insert.run('CA9', 'loc_1');
          throw new Error('rolled back');
        })(),
      ).toThrow('rolled back');
      targets.settle();
      expect(targets.target('CA9', 'dsp_booked')).toBeNull();
      // An autocommit write with no settle() after it: the next pick settles first.
      insert.run('CA9', 'loc_1');
      db.prepare("UPDATE dispositions SET deleted_at = '2026-12-01T10:00:00Z' WHERE id = 'dsp_booked'").run();
      expect(targets.target('CA9', 'dsp_booked')).toEqual({ locationId: 'loc_1', disposition: 'deleted' });
      expect(targets.target('CA9', 'dsp_gone')).toEqual({ locationId: 'loc_1', disposition: 'unknown' });
      // Inside an open transaction it reads what the connection sees, as choiceTarget does; the mirror waits for the end.
      db.exec('BEGIN');
      db.prepare("DELETE FROM wrapups WHERE twilio_call_sid = 'CA9'").run();
      expect(targets.target('CA9', 'dsp_follow')).toBeNull();
      db.exec('ROLLBACK');
      expect(targets.target('CA9', 'dsp_follow')).toEqual({ locationId: 'loc_1', disposition: 'usable' });
    } finally {
      db.close();
      t.reopen();
    }
  });
});
