/**
 * A unit of work's change event as NOTIFY carries it (src/cloud/db/unit-of-work.ts `finalize`), on
 * both backends: the cursor and the messages when they fit, and the poke alone (no messages) when
 * the payload would pass PostgreSQL's 8000-byte cap, whether the messages were given as they are
 * (the event goes out in the statement that takes the cursor) or built after the stamps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { write, type ChangeEvent } from '../../src/cloud/db/unit-of-work';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/seed';
import type { ServerMessage } from '../../src/shared/cloud/realtime';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const pong = (bytes: number): ServerMessage => ({ type: 'pong', at: 'x'.repeat(bytes) });

describe.each(backends)('change events on %s', (backend) => {
  let t: TestCloud;
  let contactId: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    const rows = await t.cloud.db.query<{ id: string }>(`SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1`, [DEMO_ACCOUNT_ID]);
    contactId = rows[0]!.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Commits a touch of the contact with `msg`; the event heard through NOTIFY, and the contact's new seq (the cursor: it is the only row). */
  async function commit(msg: ServerMessage | (() => Promise<ServerMessage>)): Promise<{ heard: ChangeEvent; cursor: number }> {
    const heard = t.cloud.hub.nextEvent((e) => e.a === DEMO_ACCOUNT_ID && e.e.includes('contacts'));
    await write(t.cloud.db, DEMO_ACCOUNT_ID, async (uow) => {
      uow.touch('contacts', contactId);
      uow.send(['usr_nobody'], msg);
    });
    const rows = await t.cloud.db.query<{ seq: string }>(`SELECT seq FROM contacts WHERE id = $1`, [contactId]);
    return { heard: await heard, cursor: Number(rows[0]!.seq) };
  }

  it('a message that fits goes with the cursor, in one statement or built after the stamps', async () => {
    for (const msg of [pong(10), async () => pong(10)]) {
      const { heard, cursor } = await commit(msg);
      expect(heard.s).toBe(cursor);
      expect(heard.m).toEqual([{ to: ['usr_nobody'], msg: pong(10) }]);
    }
  });

  it('past the NOTIFY cap the event still announces the change, without its messages', async () => {
    for (const msg of [pong(8000), async () => pong(8000)]) {
      const { heard, cursor } = await commit(msg);
      expect(heard.s).toBe(cursor);
      expect(heard.e).toContain('contacts');
      expect(heard.m).toBeUndefined();
    }
  });
});
