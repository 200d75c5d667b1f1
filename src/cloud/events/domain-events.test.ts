import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, stopCluster } from '../../../test/support/cloud-migrations';
import { write } from '../db/unit-of-work';
import { insertDomainEvent, recordDomainEvent } from './domain-events';

afterAll(stopCluster);

// Opening PGlite (a WASM PostgreSQL) takes tens of seconds on a loaded machine.
const timeout = 180_000;

/**
 * A unit of work's domain events are written at its end in one statement (a sync push records a
 * hundred): in the order recorded, in the same transaction, and forgotten with a savepoint's rollback
 * (a refused mutation of a push) or the transaction's.
 */
describe.each(backends)('domain events of a unit of work on %s', { timeout }, (backend) => {
  it('are inserted together at commit in the order recorded; a rolled-back savepoint and a rolled-back transaction leave none', async () => {
    const db = await databaseAt(backend, 100);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_e', 'Events spa')`);
      const before = await insertDomainEvent(db, { accountId: 'acc_e', type: 'automation.signal', payload: { waitKey: 'k0' } });
      await write(db, 'acc_e', async (uow) => {
        recordDomainEvent(uow, { accountId: 'acc_e', type: 'contact.created', contactId: 'con_1', actorUserId: 'usr_1', payload: {} });
        const forget = uow.checkpoint();
        await uow.q.query('SAVEPOINT mutation');
        recordDomainEvent(uow, { accountId: 'acc_e', type: 'contact.created', contactId: 'con_refused', payload: {} });
        await uow.q.query('ROLLBACK TO SAVEPOINT mutation');
        forget();
        recordDomainEvent(uow, { accountId: 'acc_e', type: 'contact.tag_added', contactId: 'con_1', payload: { tag: 'vip' } });
        recordDomainEvent(uow, { accountId: 'acc_e', type: 'call.disposition_set', callId: 'call_1', contactId: 'con_1', payload: { dispositionId: 'dsp_1', previousDispositionId: null } });
        // Not written yet: they go in with the unit of work's other rows at its end.
        expect(await uow.q.query(`SELECT count(*)::int AS n FROM domain_events WHERE id > $1`, [before])).toEqual([{ n: 0 }]);
      });
      await expect(
        write(db, 'acc_e', async (uow) => {
          recordDomainEvent(uow, { accountId: 'acc_e', type: 'contact.created', contactId: 'con_lost', payload: {} });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');

      const rows = await db.query(`SELECT type, contact_id, call_id, actor_user_id, payload FROM domain_events WHERE id > $1 ORDER BY id`, [before]);
      expect(rows).toEqual([
        { type: 'contact.created', contact_id: 'con_1', call_id: null, actor_user_id: 'usr_1', payload: {} },
        { type: 'contact.tag_added', contact_id: 'con_1', call_id: null, actor_user_id: null, payload: { tag: 'vip' } },
        { type: 'call.disposition_set', contact_id: 'con_1', call_id: 'call_1', actor_user_id: null, payload: { dispositionId: 'dsp_1', previousDispositionId: null } },
      ]);
    } finally {
      await db.close();
    }
  });
});
