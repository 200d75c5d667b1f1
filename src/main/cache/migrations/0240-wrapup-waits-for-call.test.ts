import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

describe('migration 0240 wrap-up waits for call', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('moves a live commit marker onto its wrap-up and drops every commit key, keeping other sync_state rows', () => {
    const before = openAt(tmp.file, 230);
    const wrapup = before.prepare(`INSERT INTO wrapups (twilio_call_sid, call_id, ended_at, state, disposition_id, updated_at) VALUES (?, NULL, '2026-12-01T10:00:00.000Z', ?, ?, 1)`);
    wrapup.run('CAwaiting', 'chosen', 'dsp_booked');
    wrapup.run('CAopen', 'pending', null);
    const meta = before.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)');
    meta.run('commit.CAwaiting', 1_764_583_200_000);
    meta.run('commit.CAopen', null); // cleared after an earlier choice was undone
    for (let i = 0; i < 3; i++) meta.run(`commit.CAdone${i}`, null); // one per call ever dispositioned
    meta.run('commit.CAgone', 1_764_583_100_000); // its wrap-up is gone
    meta.run('cursor', 42);
    meta.run('search.aside', 1);
    before.close();

    const db = openAt(tmp.file, 240);
    expect(schemaVersion(db)).toBe(240);
    expect(db.prepare('SELECT twilio_call_sid, waiting_since FROM wrapups ORDER BY twilio_call_sid').all()).toEqual([
      { twilio_call_sid: 'CAopen', waiting_since: null },
      { twilio_call_sid: 'CAwaiting', waiting_since: 1_764_583_200_000 },
    ]);
    expect(db.prepare('SELECT key, value FROM sync_state ORDER BY key').all()).toEqual([
      { key: 'cursor', value: 42 },
      { key: 'search.aside', value: 1 },
    ]);
    db.close();
  });
});
