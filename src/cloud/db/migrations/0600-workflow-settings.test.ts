import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;
const TABLES = ['message_templates', 'media_files', 'slack_connections', 'slack_oauth_states', 'reputation_settings', 'whatsapp_senders', 'whatsapp_templates'];

describe.each(backends)('migration 0600 workflow settings on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(600));
    try {
      expect(await migrateTo(db, 600)).toBe(600);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(TABLES));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with data; its constraints hold', async () => {
    const db = await databaseAt(backend, 599);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'admin', 'hash')`);
      await db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('pn_1', 'acc_1', '+13105550100', 'Main')`);
      expect(await migrateTo(db, 600)).toBe(600);
      expect(await schemaVersion(db)).toBeGreaterThanOrEqual(600);
      expect(await db.query(`SELECT id, name FROM accounts`)).toEqual([{ id: 'acc_1', name: 'Spa' }]);

      // Templates: one live name per channel, subjects only on email.
      await db.query(`INSERT INTO message_templates (id, account_id, channel, name, subject, body) VALUES ('tpl_1', 'acc_1', 'email', 'Welcome', 'Hi', 'Hello')`);
      expect(await failureCode(() => db.query(`INSERT INTO message_templates (id, account_id, channel, name, body) VALUES ('tpl_2', 'acc_1', 'email', 'WELCOME', 'x')`))).toBe('23505');
      await db.query(`INSERT INTO message_templates (id, account_id, channel, name, body) VALUES ('tpl_3', 'acc_1', 'sms', 'Welcome', 'x')`);
      expect(await failureCode(() => db.query(`INSERT INTO message_templates (id, account_id, channel, name, subject, body) VALUES ('tpl_4', 'acc_1', 'sms', 'Other', 'subj', 'x')`))).toBe('23514');
      await db.query(`UPDATE message_templates SET deleted_at = now() WHERE id = 'tpl_1'`);
      await db.query(`INSERT INTO message_templates (id, account_id, channel, name, body) VALUES ('tpl_5', 'acc_1', 'email', 'Welcome', 'again')`);

      // Media: bytes round-trip; kinds are a closed list; public tokens are unique.
      await db.query(`INSERT INTO media_files (id, account_id, name, content_type, kind, size_bytes, sha256, data, public_token) VALUES ('med_1', 'acc_1', 'a.mp3', 'audio/mpeg', 'audio', 3, 'x', $1, 'tok')`, [
        Buffer.from([1, 2, 3]),
      ]);
      const [row] = await db.query<{ data: Uint8Array }>(`SELECT data FROM media_files WHERE id = 'med_1'`);
      expect([...Buffer.from(row!.data)]).toEqual([1, 2, 3]);
      expect(await failureCode(() => db.query(`INSERT INTO media_files (id, account_id, name, content_type, kind, size_bytes, sha256, data, public_token) VALUES ('med_2', 'acc_1', 'a', 'text/html', 'web', 1, 'x', '\\x00', 'tok2')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO media_files (id, account_id, name, content_type, kind, size_bytes, sha256, data, public_token) VALUES ('med_3', 'acc_1', 'a', 'audio/mpeg', 'audio', 1, 'x', '\\x00', 'tok')`))).toBe('23505');

      // Slack: one live connection per workspace; a disconnected one does not block a reconnect.
      await db.query(`INSERT INTO slack_connections (id, account_id, team_id, team_name, bot_token_enc) VALUES ('slk_1', 'acc_1', 'T1', 'Glow', 'v1:x')`);
      expect(await failureCode(() => db.query(`INSERT INTO slack_connections (id, account_id, team_id, team_name, bot_token_enc) VALUES ('slk_2', 'acc_1', 'T1', 'Glow', 'v1:y')`))).toBe('23505');
      await db.query(`UPDATE slack_connections SET disconnected_at = now() WHERE id = 'slk_1'`);
      await db.query(`INSERT INTO slack_connections (id, account_id, team_id, team_name, bot_token_enc) VALUES ('slk_3', 'acc_1', 'T1', 'Glow', 'v1:z')`);
      expect(await failureCode(() => db.query(`INSERT INTO slack_oauth_states (state_hash, account_id, user_id, expires_at) VALUES ('h', 'acc_1', 'usr_x', now())`))).toBe('23503');

      // Reputation: requests cannot be enabled without a review link.
      expect(await failureCode(() => db.query(`INSERT INTO reputation_settings (account_id, requests_enabled, email_subject, email_body, sms_body) VALUES ('acc_1', true, 's', 'b', 'm')`))).toBe('23514');
      await db.query(`INSERT INTO reputation_settings (account_id, review_link, requests_enabled, email_subject, email_body, sms_body) VALUES ('acc_1', 'https://g.page/r/x', true, 's', 'b', 'm')`);

      // WhatsApp: the sender is one of the account's numbers; template statuses are Twilio's.
      expect(await failureCode(() => db.query(`INSERT INTO whatsapp_senders (account_id, phone_number_id) VALUES ('acc_1', 'pn_x')`))).toBe('23503');
      await db.query(`INSERT INTO whatsapp_senders (account_id, phone_number_id) VALUES ('acc_1', 'pn_1')`);
      expect(await failureCode(() => db.query(`INSERT INTO whatsapp_templates (account_id, content_sid, name, body, status) VALUES ('acc_1', 'HX1', 'n', 'b', 'maybe')`))).toBe('23514');
    } finally {
      await db.close();
    }
  }, SLOW);
});
