import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 120_000;
const HOURS = `'{"timeZone":"America/Los_Angeles","days":[1,2,3,4,5],"opens":"09:00","closes":"18:00"}'`;

describe.each(backends)('migration 0500 AI agents on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(500));
    try {
      expect(await migrateTo(db, 500)).toBe(500);
      expect(await columnNames(db, 'agents')).toEqual(expect.arrayContaining(['line_ids', 'answer_when', 'business_hours', 'greeting', 'goals']));
      expect(await columnNames(db, 'agent_actions')).toEqual(expect.arrayContaining(['phase', 'type', 'config', 'position']));
      expect(await columnNames(db, 'calls')).toEqual(expect.arrayContaining(['agent_id', 'agent_transcript', 'agent_summary', 'agent_actions']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0410 database with calls, and its constraints hold', async () => {
    const db = await databaseAt(backend, 410);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO calls (id, account_id, direction, from_number, to_number, status) VALUES ('call_1', 'acc_1', 'inbound', '+13105552000', '+13105550100', 'completed')`);
      expect(await migrateTo(db, 500)).toBe(500);
      expect(await schemaVersion(db)).toBeGreaterThanOrEqual(500);
      expect(await db.query(`SELECT id, agent_id, agent_transcript, agent_summary FROM calls`)).toEqual([{ id: 'call_1', agent_id: null, agent_transcript: null, agent_summary: null }]);

      const agent = (id: string, name: string, when = 'after_hours') => db.query(`INSERT INTO agents (id, account_id, name, answer_when, business_hours, greeting) VALUES ('${id}', 'acc_1', '${name}', '${when}', ${HOURS}, 'Hi')`);
      expect(await failureCode(() => agent('agt_1', 'Night desk'))).toBeNull();
      expect(await failureCode(() => agent('agt_2', 'NIGHT DESK'))).toBe('23505');
      expect(await failureCode(() => agent('agt_3', 'Other', 'sometimes'))).toBe('23514');
      const action = (id: string, phase: string, type: string) => db.query(`INSERT INTO agent_actions (id, account_id, agent_id, phase, type, name, config, position) VALUES ('${id}', 'acc_1', 'agt_1', '${phase}', '${type}', 'x', '{}', 0)`);
      expect(await failureCode(() => action('act_1', 'during', 'book_appointment'))).toBeNull();
      expect(await failureCode(() => action('act_2', 'after', 'update_contact_field'))).toBeNull();
      expect(await failureCode(() => action('act_3', 'after', 'send_sms'))).toBe('23514');
      expect(await failureCode(() => action('act_4', 'during', 'update_contact_field'))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE calls SET agent_id = 'agt_x' WHERE id = 'call_1'`))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
