import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, Contact, PullResponse } from '../../shared/cloud';
import { call, contact, page, seedPage, tempDir } from '../../../test/support/cache-fixtures';
import { cacheSyncStore } from '../sync/cache-sync-store';
import { openCache, type CallCache } from './cache';
import { startPullWriter } from './pull-writer-client';
import { search } from './queries';
import { asideFileFor } from './search-aside';

/**
 * A pull of many pages takes the bulk path (bulkPull: search-index merging paused, WAL checkpointed
 * in large steps). Whatever it does to be quick, the cache it leaves must be the cache the everyday
 * path (one page at a time) leaves, and a bulk pull cut short must resume into the same cache.
 */

const PAGE = 150;
const NUMBERS = ['+14155550123', '+13125550199', '+12125554567', '+16175550042', '+17025559876'];

/** Contacts first, then calls (some on known contacts, some with notes), then a rename and a moved call, as the cloud serves them by seq. */
function pages(): PullResponse[] {
  const contacts: Contact[] = Array.from({ length: 40 }, (_, i) => contact(`ct_${i}`, `Client ${i} Garcia`, NUMBERS[i % NUMBERS.length]!, { seq: 11 + i }));
  const calls: Call[] = Array.from({ length: 900 }, (_, i) =>
    call(`call_${i}`, {
      direction: i % 3 === 0 ? 'outbound' : 'inbound',
      from: i % 3 === 0 ? '+13105550100' : NUMBERS[i % NUMBERS.length]!,
      to: i % 3 === 0 ? NUMBERS[i % NUMBERS.length]! : '+13105550100',
      contactId: i % 4 === 0 ? null : `ct_${i % 40}`,
      // Several calls share a second: their sort keys must come out the same on both paths.
      startedAt: new Date(Date.parse('2025-01-01T00:00:00Z') + Math.floor(i / 3) * 60_000).toISOString(),
      note: i % 10 === 0 ? `wants botox consult ${i}` : null,
      seq: 100 + i,
    }),
  );
  const later = [
    { contacts: [contact('ct_7', 'Client 7 Renamed', NUMBERS[2]!, { seq: 2_000 })] },
    { calls: [call('call_5', { ...calls[5]!, startedAt: '2025-06-01T09:00:00.000Z', note: 'moved', seq: 2_001 })] },
    // A call of the renamed contact after the rename: searchable by the new name (the writer keeps names across pages).
    { calls: [call('call_after_rename', { contactId: 'ct_7', startedAt: '2025-06-02T09:00:00.000Z', seq: 2_002 })] },
  ];
  const out: PullResponse[] = [seedPage(10)];
  let cursor = 10;
  for (const chunk of [contacts, ...Array.from({ length: Math.ceil(calls.length / PAGE) }, (_, i) => calls.slice(i * PAGE, (i + 1) * PAGE))]) {
    cursor += chunk.length;
    out.push(page('name' in chunk[0]! && !('direction' in chunk[0]!) ? { contacts: chunk as Contact[] } : { calls: chunk as Call[] }, cursor, true));
  }
  for (const changes of later) out.push(page(changes, ++cursor, true));
  out[out.length - 1] = { ...out[out.length - 1]!, hasMore: false };
  return out;
}

/** The calls table's indexes (a first pull builds them at its end: deferred-call-indexes.ts). */
function callIndexes(file: string): { name: string; sql: string | null }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls' ORDER BY name").all() as { name: string; sql: string | null }[];
  } finally {
    db.close();
  }
}

/** Whether the cache says its calls' search index is being built aside (search-aside.ts), read without touching it. */
function buildingAside(file: string): boolean {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM sync_state WHERE key = 'callSearchAside'").pluck().get() !== undefined;
  } finally {
    db.close();
  }
}

/** Every stored row, the calls' indexes and what search finds, as one digest (the FTS tables are contentless: their answers are the content). */
function digest(file: string, cache: CallCache): string {
  const db = new Database(file, { readonly: true });
  const hash = createHash('sha256');
  hash.update(JSON.stringify(callIndexes(file)));
  try {
    for (const table of ['accounts', 'users', 'dispositions', 'contacts', 'calls', 'sync_state']) {
      const rows = db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all() as Record<string, unknown>[];
      // lastPullAt is when the page was written, not what it held.
      hash.update(JSON.stringify(rows.filter((row) => row.key !== 'lastPullAt')));
    }
  } finally {
    db.close();
  }
  for (const query of ['garcia', 'renamed', 'botox', 'moved', '5550123', '4155550199', '555', 'client 1']) {
    const result = cache.search({ query });
    hash.update(JSON.stringify([result.contacts.map((c) => c.id), result.calls.map((c) => c.call.id)]));
  }
  hash.update(JSON.stringify(cache.calls.history({ limit: 500 }).items.map((item) => item.call.id)));
  return hash.digest('hex');
}

describe('bulk pull', { timeout: 60_000 }, () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const fresh = (): { file: string; cache: CallCache } => {
    const dir = tempDir('bulk-pull-');
    dirs.push(dir);
    return { file: dir.file, cache: openCache({ file: dir.file }) };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.cleanup();
  });

  function everyday(): string {
    const { file, cache } = fresh();
    for (const p of pages()) cache.applyPullPage(p);
    const result = digest(file, cache);
    cache.close();
    return result;
  }

  it('leaves the same cache as pulling page by page, search index merged', () => {
    const expected = everyday();
    const { file, cache } = fresh();
    cache.bulkPull(true);
    for (const p of pages()) cache.applyPullPage(p);
    cache.bulkPull(false);
    expect(digest(file, cache)).toBe(expected);
    cache.close();
    const db = new Database(file);
    // Merging is on again, and the index is whole.
    expect(db.prepare(`SELECT v FROM calls_fts_config WHERE k = 'automerge'`).pluck().get()).toBe(4);
    expect(() => db.exec(`INSERT INTO calls_fts (calls_fts, rank) VALUES ('integrity-check', 0)`)).not.toThrow();
    db.close();
  });

  it('a first pull builds the calls’ indexes once at its end; lookups answer the same meanwhile', () => {
    const reference = fresh();
    const all = pages();
    for (const p of all.slice(0, 4)) reference.cache.applyPullPage(p);
    const indexes = callIndexes(reference.file);
    expect(indexes.map((index) => index.name)).toEqual(expect.arrayContaining(['calls_contact', 'calls_remote', 'calls_disposition', 'calls_user', 'calls_sid']));

    const { file, cache } = fresh();
    cache.bulkPull(true);
    for (const p of all.slice(0, 4)) cache.applyPullPage(p);
    // Mid-pull: only the table's own keys (automatic indexes, no SQL) are there, and every answer is the same.
    expect(callIndexes(file).filter((index) => index.sql !== null)).toEqual([]);
    for (const c of [reference.cache, cache]) expect(c.getCursor()).toBe(all[3]!.cursor);
    const answers = (c: CallCache) =>
      JSON.stringify([
        c.calls.history({ limit: 500 }).items.map((item) => item.call.id),
        c.calls.history({ limit: 500, contactId: 'ct_3' }).items.map((item) => item.call.id),
        c.search({ query: '5550123' }).calls.map((item) => item.call.id),
      ]);
    expect(answers(cache)).toBe(answers(reference.cache));
    cache.bulkPull(false);
    expect(callIndexes(file)).toEqual(indexes);
    // A bulk pull into a cache that already holds calls keeps its indexes.
    cache.bulkPull(true);
    expect(callIndexes(file)).toEqual(indexes);
    cache.bulkPull(false);
    reference.cache.close();
    cache.close();
  });

  it('a bulk pull cut short resumes at the next open into the same cache', () => {
    const expected = everyday();
    const all = pages();
    const { file, cache } = fresh();
    cache.bulkPull(true);
    for (const p of all.slice(0, 4)) cache.applyPullPage(p);
    // The app dies here: bulkPull(false) never runs; the calls' indexes were never built.
    cache.close();
    expect(callIndexes(file).filter((index) => index.sql !== null)).toEqual([]);
    const reopened = openCache({ file });
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT v FROM calls_fts_config WHERE k = 'automerge'`).pluck().get()).toBe(4);
    db.close();
    // The open built them.
    expect(callIndexes(file).filter((index) => index.sql !== null).map((index) => index.name)).toHaveLength(5);
    const cursor = reopened.getCursor();
    expect(cursor).toBe(all[3]!.cursor);
    reopened.bulkPull(true);
    for (const p of all.filter((x) => x.cursor > cursor)) reopened.applyPullPage(p);
    reopened.bulkPull(false);
    expect(digest(file, reopened)).toBe(expected);
    reopened.close();
  });
});

// Each test starts a writer thread that compiles its TypeScript entry through tsx: seconds on a busy machine.
describe('bulk pull on the pull writer thread', { timeout: 120_000 }, () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.cleanup();
  });
  const fresh = (): { file: string; cache: CallCache } => {
    const dir = tempDir('pull-writer-');
    dirs.push(dir);
    return { file: dir.file, cache: openCache({ file: dir.file }) };
  };

  it('leaves the same cache as pulling page by page on the main thread', async () => {
    const reference = fresh();
    for (const p of pages()) reference.cache.applyPullPage(p);
    const expected = digest(reference.file, reference.cache);
    reference.cache.close();

    const { file, cache } = fresh();
    const store = cacheSyncStore(cache);
    await store.bulkPull?.(true);
    for (const p of pages()) await store.applyPull(p);
    await store.bulkPull?.(false);
    expect(digest(file, cache)).toBe(expected);
    cache.close();
  });

  it('a page the writer refuses changes nothing and says why; the pull goes on from the last page written', async () => {
    const { cache } = fresh();
    const all = pages();
    const writer = cache.startPullWriter();
    await writer.ready;
    for (const p of all.slice(0, 3)) await writer.write(p);
    const bad = { ...all[3]!, changes: { ...all[3]!.changes, calls: [call('c_bad', { startedAt: 'yesterday', seq: 5_000 })] } };
    await expect(writer.write(bad)).rejects.toThrow(/not an ISO-8601 date/);
    expect(cache.getCursor()).toBe(all[2]!.cursor);
    expect(cache.calls.get('c_bad')).toBeNull();
    // A page the database refuses half way (the rename written, then a call its CHECK refuses) rolls back whole:
    // the writer forgets the names that page set, so a later call of that contact carries the name the database holds.
    const ghost = { ...all[3]!, changes: { ...all[3]!.changes, contacts: [contact('ct_7', 'Client 7 Ghost', NUMBERS[2]!, { seq: 1_500 })], calls: [{ ...call('c_bad2'), direction: 'sideways' } as never] } };
    await expect(writer.write(ghost)).rejects.toThrow();
    await writer.write(all[3]!);
    expect(cache.getCursor()).toBe(all[3]!.cursor);
    await writer.write(page({ calls: [call('c_after', { contactId: 'ct_7', seq: 1_600 })] }, all[3]!.cursor + 1, true));
    // A first pull's calls are searchable once it ends (their index is built aside until then).
    await writer.close();
    expect(cache.search({ query: 'ghost' }).calls).toEqual([]);
    expect(cache.search({ query: 'client 7' }).calls.map((item) => item.call.id)).toContain('c_after');
    cache.close();
  });

  it('a writer thread that dies mid-pull fails the pull, and the cache resumes from its last page', async () => {
    const reference = fresh();
    for (const p of pages()) reference.cache.applyPullPage(p);
    const expected = digest(reference.file, reference.cache);
    reference.cache.close();

    const { file, cache } = fresh();
    const all = pages();
    const writer = cache.startPullWriter();
    await writer.ready;
    for (const p of all.slice(0, 4)) await writer.write(p);
    // The thread dies while it may be writing page 5: that page is either whole or not there at all.
    const ending = writer.write(all[4]!);
    await writer.terminate();
    await ending.catch(() => undefined);
    await expect(writer.write(all[5]!)).rejects.toThrow(/exited/);
    expect([all[3]!.cursor, all[4]!.cursor]).toContain(cache.getCursor());
    // The pulled calls' index was being built aside and never adopted: the cache says so…
    expect(buildingAside(file)).toBe(true);
    cache.close();

    // …and the next open indexes every stored call.
    const reopened = openCache({ file });
    expect(buildingAside(file)).toBe(false);
    expect(existsSync(asideFileFor(file))).toBe(false);
    expect(reopened.search({ query: 'botox' }).calls.length).toBeGreaterThan(0);
    const store = cacheSyncStore(reopened);
    await store.bulkPull?.(true);
    for (const p of all.filter((x) => x.cursor > reopened.getCursor())) await store.applyPull(p);
    await store.bulkPull?.(false);
    expect(digest(file, reopened)).toBe(expected);
    reopened.close();
  });
  it('a first pull’s search index is built on a thread of its own and adopted by the writer at its end', async () => {
    const reference = fresh();
    for (const p of pages()) reference.cache.applyPullPage(p);
    const { file, cache } = fresh();
    const all = pages();
    const writer = cache.startPullWriter();
    await writer.ready;
    // A reader open all along, as the query worker's connection is.
    const reader = new Database(file, { readonly: true });
    for (const p of all.slice(0, 5)) await writer.write(p);
    // Mid-pull: History lists the pulled calls; search does not find them yet.
    expect(cache.calls.history({ limit: 5 }).items).toHaveLength(5);
    expect(cache.search({ query: '4155550123' }).calls).toEqual([]);
    expect(buildingAside(file)).toBe(true);
    // …and History's search says so (a plain listing does not need it).
    expect(cache.calls.history({ query: 'garcia', limit: 5 }).searchIndexing).toBe(true);
    expect(cache.calls.history({ limit: 5 }).searchIndexing).toBeUndefined();
    // A receptionist's note meanwhile: indexed at once on the main thread, so found now and after the pull.
    cache.calls.setDispositionLocally({ callId: 'call_1', dispositionId: 'dsp_booked', note: 'paid the deposit', idempotencyKey: 'key-aside-1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.search({ query: 'deposit' }).calls.map((item) => item.call.id)).toEqual(['call_1']);
    for (const p of all.slice(5)) await writer.write(p);
    expect(await writer.close()).toBe('adopted');

    // Adopted by the writer itself (nothing on the main thread repaired it): no marker, no scratch file.
    expect(buildingAside(file)).toBe(false);
    expect(existsSync(asideFileFor(file))).toBe(false);
    expect(cache.calls.history({ query: 'garcia', limit: 5 }).searchIndexing).toBeUndefined();
    expect(cache.search({ query: 'deposit' }).calls.map((item) => item.call.id)).toEqual(['call_1']);
    for (const query of ['garcia', 'renamed', 'moved', '5550123', 'client 1']) {
      const ids = (c: CallCache) => c.search({ query }).calls.map((item) => item.call.id);
      expect(ids(cache), query).toEqual(ids(reference.cache));
      expect(search(reader, { query, limit: 20 }).calls.map((item) => item.call.id), `${query}, on the reader`).toEqual(ids(reference.cache));
    }
    // The next pull into this cache keeps the index up to date page by page.
    const next = cache.startPullWriter();
    await next.ready;
    await next.write(page({ calls: [call('call_next', { note: 'next pull', seq: 9_000 })] }, all[all.length - 1]!.cursor + 1, false));
    expect(await next.close()).toBe('page by page');
    expect(cache.search({ query: 'next pull' }).calls.map((item) => item.call.id)).toEqual(['call_next']);
    reader.close();
    cache.close();
    reference.cache.close();
    const db = new Database(file);
    expect(() => db.exec(`INSERT INTO calls_fts (calls_fts, rank) VALUES ('integrity-check', 0)`)).not.toThrow();
    expect(db.prepare(`SELECT v FROM calls_fts_config WHERE k = 'automerge'`).pluck().get()).toBe(4);
    db.close();
  });

  it('a search builder thread that cannot start: the writer indexes the calls itself at the end', async () => {
    const reference = fresh();
    for (const p of pages()) reference.cache.applyPullPage(p);
    const expected = digest(reference.file, reference.cache);
    reference.cache.close();

    const { file, cache } = fresh();
    const writer = startPullWriter({ file, now: Date.now, searchBuilderPath: `${file}.no-such-builder.js` });
    await writer.ready;
    for (const p of pages()) await writer.write(p);
    expect(await writer.close()).toBe('indexed by the writer');
    expect(buildingAside(file)).toBe(false);
    expect(digest(file, cache)).toBe(expected);
    cache.close();
  });
});
