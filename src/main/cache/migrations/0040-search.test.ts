import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/temp-cache';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

describe('migration 0040 search', () => {
  const tmp = useTempDir();

  it('creates the FTS tables and indexes the contacts and calls already stored', () => {
    const before = openAt(tmp.file, 30);
    before
      .prepare(`INSERT INTO contacts (id, account_id, name, phone, email, tags, dnd, created_at, updated_at, seq)
                VALUES ('ct1', 'acc', 'Jane Doe', '+14155550123', 'jane@example.com', '["vip"]', '{}', 'x', 'x', 1)`)
      .run();
    before
      .prepare(`INSERT INTO calls (id, account_id, direction, from_number, to_number, remote_number, contact_id, rang_user_ids,
                status, started_at, started_ms, recordings, note, seq, sort_key)
                VALUES ('c1', 'acc', 'inbound', '+14155550123', '+13105550100', '+14155550123', 'ct1', '[]', 'completed', 'x', 0, '[]', 'wants filler', 1, 42)`)
      .run();
    before.close();

    const db = openAt(tmp.file, 40);
    expect(schemaVersion(db)).toBe(40);
    const contactHits = (q: string) => db.prepare('SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?').pluck().all(q);
    const callHits = (q: string) => db.prepare('SELECT rowid FROM calls_fts WHERE calls_fts MATCH ?').pluck().all(q);
    expect(contactHits('"jan"*')).toHaveLength(1);
    expect(contactHits('"5550123"*')).toHaveLength(1);
    expect(contactHits('"vip"*')).toHaveLength(1);
    expect(callHits('"jane"*')).toEqual([42]);
    expect(callHits('"filler"*')).toEqual([42]);
    expect(callHits('"3105550100"*')).toEqual([42]);
    db.close();
  });
});
