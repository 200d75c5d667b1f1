import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage, tempDir } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import { openCache } from './cache';
import { ChoiceLog, choiceLogFileFor } from './choice-log';

/**
 * A wrap-up choice is durable once its record in the choice log is synced (choice-log.ts); the
 * cache's own commit follows without a sync. These tests take that commit away, as a power cut
 * would, and check what the next open makes of the log.
 */
let clock = 1_000;
const ENDED = '2025-03-01T10:03:00Z';
const loggedIn = (file: string) => {
  const { log, logged } = ChoiceLog.open(choiceLogFileFor(file));
  log.close();
  return logged;
};

describe("a wrap-up choice's durable point", () => {
  const t = useTempCache({ now: () => clock });
  beforeEach(() => {
    clock = 1_000;
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1', { twilioCallSid: 'CA1' }), call('c2', { twilioCallSid: 'CA2' })] }, 11));
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: ENDED, locationId: 'loc_1' });
  });

  it("survives a power cut that takes the cache's own commit: the next open sets it again, then clears the log", () => {
    // What the disk holds before the choice: the wrap-up, synced when the call ended.
    const before = tempDir('choice-power-cut-');
    try {
      copyFileSync(t.file, before.file);
      copyFileSync(`${t.file}-wal`, `${before.file}-wal`);
      clock = 5_000;
      t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'booked' });
      clock = 6_000;
      t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_follow', note: 'call back Tuesday' });
      // The power cut: the cache's files as they were, and the log as its two syncs left it.
      writeFileSync(choiceLogFileFor(before.file), readFileSync(choiceLogFileFor(t.file)));
      const restarted = openCache({ file: before.file, now: () => 9_000 });
      expect(restarted.wrapups.get('CA1')).toMatchObject({ dispositionId: 'dsp_follow', note: 'call back Tuesday', state: 'chosen', updatedAt: 6_000 });
      // Applied and synced at the open, so the log is cleared there, not only at a clean close.
      expect(loggedIn(before.file)).toEqual([]);
      restarted.close();
    } finally {
      before.cleanup();
    }
  });

  it('sets a logged choice only on a wrap-up not changed since, and never a cancelled one or one for a wrap-up gone', () => {
    t.cache.wrapups.upsert({ twilioCallSid: 'CA2', callId: 'c2', endedAt: ENDED, locationId: null });
    clock = 2_000;
    t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'newer' });
    t.cache.close();
    expect(loggedIn(t.file)).toEqual([]); // a clean close leaves nothing to replay
    const { log } = ChoiceLog.open(choiceLogFileFor(t.file));
    log.append({ sid: 'CA1', dispositionId: 'dsp_spam', note: 'older', at: 1_500 }, () => undefined);
    const cancelled = log.append({ sid: 'CA2', dispositionId: 'dsp_spam', note: 'refused', at: 3_000 }, () => undefined);
    log.cancel(cancelled, () => undefined);
    log.append({ sid: 'CA9', dispositionId: 'dsp_booked', note: 'no such wrap-up', at: 3_000 }, () => undefined);
    log.append({ sid: 'CA2', dispositionId: null, note: 'typed, no disposition yet', at: 4_000 }, () => undefined);
    log.close();
    const cache = t.reopen();
    expect(cache.wrapups.list()).toMatchObject([
      { twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: 'newer', updatedAt: 2_000 },
      { twilioCallSid: 'CA2', dispositionId: null, note: 'typed, no disposition yet', state: 'pending', updatedAt: 4_000 },
    ]);
    expect(cache.wrapups.get('CA9')).toBeNull();
  });

  it("cancels a choice's record when its commit finds no wrap-up or fails", () => {
    expect(t.cache.wrapups.setChoice('CA2', { dispositionId: 'dsp_booked', note: null })).toBeNull();
    const other = new Database(t.file);
    try {
      other.exec("CREATE TRIGGER refuse_choice BEFORE UPDATE OF disposition_id ON wrapups BEGIN SELECT RAISE(ABORT, 'refused'); END");
      expect(() => t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'never' })).toThrow(/refused/);
      other.exec('DROP TRIGGER refuse_choice');
    } finally {
      other.close();
    }
    expect(loggedIn(t.file)).toEqual([]);
    // A choice that did commit is in the log until close (its commit waits for the next sync).
    t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_follow', note: 'ok' });
    expect(loggedIn(t.file).map((c) => c.note)).toEqual(['ok']);
    expect(t.reopen().wrapups.get('CA1')).toMatchObject({ dispositionId: 'dsp_follow', note: 'ok', state: 'chosen' });
  });
});

describe('another user signing in (clearUserData)', () => {
  const t = useTempCache();
  it("clears the log too: the last user's notes do not stay in it", () => {
    t.cache.applyPull(seedPage(10));
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: ENDED });
    t.cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'private words' });
    expect(loggedIn(t.file)).toHaveLength(1);
    t.cache.clearUserData();
    expect(loggedIn(t.file)).toEqual([]);
    expect(readFileSync(choiceLogFileFor(t.file)).includes('private words')).toBe(false);
  });
});

describe('a choice log that cannot be replayed at open', () => {
  const t = useTempCache({ now: () => clock });
  beforeEach(() => {
    clock = 1_000;
    t.cache.applyPull(seedPage(10));
    t.cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: ENDED });
  });

  it('keeps its records for the next open, and this run syncs each choice itself', () => {
    t.cache.close();
    // The replay's commit fails (as on a read-only or full disk): a trigger refuses this one choice.
    const other = new Database(t.file);
    other.exec("CREATE TRIGGER refuse_replay BEFORE UPDATE ON wrapups WHEN NEW.note = 'stuck' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    other.close();
    const { log } = ChoiceLog.open(choiceLogFileFor(t.file));
    log.append({ sid: 'CA1', dispositionId: 'dsp_booked', note: 'stuck', at: 1_500 }, () => undefined);
    log.close();
    clock = 2_000;
    const cache = t.reopen();
    expect(cache.wrapups.get('CA1')).toMatchObject({ note: null, state: 'pending' });
    expect(loggedIn(t.file).map((c) => c.note)).toEqual(['stuck']);
    // A choice now is not written over the kept record; it is durable by the WAL's sync.
    expect(cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_follow', note: 'later' })).toMatchObject({ state: 'chosen' });
    expect(loggedIn(t.file).map((c) => c.note)).toEqual(['stuck']);
    cache.close();
    const fixed = new Database(t.file);
    fixed.exec('DROP TRIGGER refuse_replay');
    fixed.close();
    // Replayed at last, the kept record is older than the choice made since: it changes nothing, and the log is cleared.
    expect(t.reopen().wrapups.get('CA1')).toMatchObject({ dispositionId: 'dsp_follow', note: 'later', updatedAt: 2_000 });
    expect(loggedIn(t.file)).toEqual([]);
  });
});

describe('without a choice log', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('choice-log-missing-');
  });
  afterEach(() => tmp.cleanup());

  it('a choice is made durable by the WAL sync instead, as every other write is', () => {
    mkdirSync(choiceLogFileFor(tmp.file)); // e.g. a folder left where the file should be
    let cache = openCache({ file: tmp.file });
    cache.applyPull(seedPage(10));
    cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: ENDED });
    expect(cache.wrapups.setChoice('CA1', { dispositionId: 'dsp_booked', note: 'synced' })).toMatchObject({ state: 'chosen' });
    cache.close();
    cache = openCache({ file: tmp.file });
    expect(cache.wrapups.get('CA1')).toMatchObject({ dispositionId: 'dsp_booked', note: 'synced' });
    cache.close();
  });
});
