import { afterAll, describe, expect, it } from 'vitest';
import { reportStatusOf, ringSecondsOf, talkSecondsOf, type CallSource } from '../../../shared/reporting/status';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 120_000;

/** Every combination of the facts report_status depends on. */
function combinations() {
  const out: { direction: 'inbound' | 'outbound'; status: string; source: CallSource; answered: boolean; ended: boolean; voicemail: boolean }[] = [];
  for (const direction of ['inbound', 'outbound'] as const)
    for (const status of ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'canceled', 'failed', 'rejected', 'missed'])
      for (const source of ['softphone', 'manual_task', 'workflow', 'external'] as const)
        for (const answered of [false, true])
          for (const ended of [false, true])
            for (const voicemail of [false, true]) out.push({ direction, status, source, answered, ended, voicemail });
  return out;
}

describe.each(backends)('migration 0400 reporting on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(400));
    try {
      expect(await migrateTo(db, 400)).toBe(400);
      expect(await columnNames(db, 'calls')).toEqual(expect.arrayContaining(['source', 'transferred_from_user_id', 'report_status', 'ring_seconds', 'talk_seconds']));
      expect(await columnNames(db, 'accounts')).toContain('timezone');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with data: the time zone comes from the first location, calls are classified as the shared rule says', async () => {
    const db = await databaseAt(backend, 20);
    try {
      await db.query(`INSERT INTO accounts (id, name, change_seq) VALUES ('acc_1', 'Spa', 9), ('acc_2', 'No locations', 0)`);
      await db.query(`INSERT INTO locations (id, account_id, name, timezone, created_at) VALUES
        ('loc_b', 'acc_1', 'Second', 'America/New_York', '2024-02-01T00:00:00Z'), ('loc_a', 'acc_1', 'First', 'Europe/London', '2024-01-01T00:00:00Z')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'h')`);
      const rows = combinations().filter((c) => c.source === 'softphone');
      let i = 0;
      for (const c of rows) {
        const started = '2024-05-01T10:00:00.000Z';
        await db.query(
          `INSERT INTO calls (id, account_id, twilio_call_sid, direction, from_number, to_number, status, started_at, answered_at, ended_at, recordings, user_id, seq)
           VALUES ($1, 'acc_1', $1, $2, '+1', '+2', $3, $4, $5, $6, $7::jsonb, 'usr_1', $8)`,
          [`call_${i}`, c.direction, c.status, started, c.answered ? '2024-05-01T10:00:07.600Z' : null, c.ended ? '2024-05-01T10:02:07.400Z' : null,
            JSON.stringify(c.voicemail ? [{ sid: 'RE1', url: null, durationSeconds: 3, status: 'completed', kind: 'voicemail' }] : []), i],
        );
        i++;
      }

      expect(await migrateTo(db, 400)).toBe(400);
      expect(await schemaVersion(db)).toBe(400);
      expect(await db.query(`SELECT id, timezone FROM accounts ORDER BY id`)).toEqual([
        { id: 'acc_1', timezone: 'Europe/London' },
        { id: 'acc_2', timezone: 'America/Los_Angeles' },
      ]);
      expect(await db.query(`SELECT change_seq FROM accounts WHERE id = 'acc_1'`)).toEqual([{ change_seq: 9 }]);
      const stored = await db.query<{ id: string; source: string; report_status: string; ring_seconds: number | null; talk_seconds: number | null; seq: number }>(
        `SELECT id, source, report_status, ring_seconds, talk_seconds, seq FROM calls ORDER BY seq`);
      expect(stored).toHaveLength(rows.length);
      stored.forEach((row, n) => {
        const c = rows[n]!;
        const call = {
          direction: c.direction, status: c.status, source: 'softphone' as const, startedAt: '2024-05-01T10:00:00.000Z',
          answeredAt: c.answered ? '2024-05-01T10:00:07.600Z' : null, endedAt: c.ended ? '2024-05-01T10:02:07.400Z' : null,
          recordings: c.voicemail ? [{ kind: 'voicemail' }] : [],
        };
        expect(row.source).toBe('softphone');
        expect(row.seq).toBe(n);
        expect({ id: row.id, status: row.report_status, ring: row.ring_seconds, talk: row.talk_seconds }).toEqual({
          id: row.id, status: reportStatusOf(call), ring: ringSecondsOf(call), talk: talkSecondsOf(call),
        });
      });

      // Every source, after the migration: the generated column follows the shared rule.
      let j = 0;
      for (const c of combinations()) {
        const id = `late_${j++}`;
        await db.query(
          `INSERT INTO calls (id, account_id, direction, from_number, to_number, status, source, started_at, answered_at, ended_at, recordings)
           VALUES ($1, 'acc_1', $2, '+1', '+2', $3, $4, now(), CASE WHEN $5::boolean THEN now() END, CASE WHEN $6::boolean THEN now() END, $7::jsonb)`,
          [id, c.direction, c.status, c.source, c.answered, c.ended, JSON.stringify(c.voicemail ? [{ kind: 'voicemail', sid: 'RE', url: null, durationSeconds: 1, status: 'completed' }] : [])],
        );
        const [row] = await db.query<{ report_status: string }>(`SELECT report_status FROM calls WHERE id = $1`, [id]);
        const expected = reportStatusOf({ direction: c.direction, status: c.status, source: c.source, answeredAt: c.answered ? 'x' : null, endedAt: c.ended ? 'x' : null, recordings: c.voicemail ? [{ kind: 'voicemail' }] : [] });
        expect(row!.report_status, JSON.stringify(c)).toBe(expected);
      }

      expect(await failureCode(() => db.query(`UPDATE calls SET source = 'fax' WHERE id = 'call_0'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE calls SET transferred_from_user_id = 'usr_nobody' WHERE id = 'call_0'`))).toBe('23503');
      expect(await failureCode(() => db.query(`UPDATE calls SET report_status = 'answered' WHERE id = 'call_0'`))).not.toBeNull();
    } finally {
      await db.close();
    }
  }, SLOW);
});
