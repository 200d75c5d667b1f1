import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0760 trigger links on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(760));
    try {
      expect(await migrateTo(db, 760)).toBe(760);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(['trigger_links', 'trigger_link_tokens']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0750 database with data; keys stay the practice’s for ever, live names are unique, tokens name a contact unless a test', async () => {
    const db = await databaseAt(backend, 750);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other spa')`);
      await db.exec(`INSERT INTO contacts (id, account_id, name, phone, dnd) VALUES ('con_1', 'acc_1', 'Ana', '+13105550001', '{}')`);
      expect(await migrateTo(db, 760)).toBe(760);
      await db.exec(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_1', 'acc_1', 'Book', 'book', 'https://spa.example/book')`);
      // The same key in another practice is theirs; in this one it is never given again, even once deleted.
      await db.exec(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_2', 'acc_2', 'Book', 'book', 'https://other.example/book')`);
      await db.exec(`UPDATE trigger_links SET deleted_at = now() WHERE id = 'tl_1'`);
      expect(await failureCode(() => db.query(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_3', 'acc_1', 'Book', 'book', 'https://spa.example/x')`))).toBe('23505');
      // A deleted link's name is free again; a live one's is not (case aside).
      await db.exec(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_3', 'acc_1', 'Book', 'book_2', 'https://spa.example/x')`);
      expect(await failureCode(() => db.query(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_4', 'acc_1', 'BOOK', 'book_3', 'https://spa.example/y')`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_5', 'acc_1', 'Js', 'js', 'javascript:alert(1)')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO trigger_links (id, account_id, name, key, url) VALUES ('tl_6', 'acc_1', 'Bad', 'Bad Key', 'https://spa.example')`))).toBe('23514');

      await db.exec(`INSERT INTO trigger_link_tokens (token, account_id, link_id, contact_id, run_id, step_key) VALUES ('tok_a', 'acc_1', 'tl_1', 'con_1', 'run_1', 's1')`);
      expect(await failureCode(() => db.query(`INSERT INTO trigger_link_tokens (token, account_id, link_id, contact_id, run_id, step_key) VALUES ('tok_b', 'acc_1', 'tl_1', 'con_1', 'run_1', 's1')`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO trigger_link_tokens (token, account_id, link_id) VALUES ('tok_c', 'acc_1', 'tl_1')`))).toBe('23514');
      await db.exec(`INSERT INTO trigger_link_tokens (token, account_id, link_id, test) VALUES ('tok_c', 'acc_1', 'tl_1', true)`);
      expect(await db.query(`SELECT token, clicks, first_clicked_at, test FROM trigger_link_tokens ORDER BY token`)).toEqual([
        { token: 'tok_a', clicks: 0, first_clicked_at: null, test: false },
        { token: 'tok_c', clicks: 0, first_clicked_at: null, test: true },
      ]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
