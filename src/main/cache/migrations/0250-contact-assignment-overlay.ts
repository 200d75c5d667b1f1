import type { Migration } from './types';

/**
 * A contact's assigned team member can be changed at this desk (through the outbox, like a call's
 * disposition): `assigned_user_id` becomes the effective value (the cloud's with the pending
 * changes folded on top) and `server_assigned_user_id` keeps the cloud's own, so a rejected change
 * falls back to it. Every contact starts with both equal.
 */
export const migration0250: Migration = {
  version: 250,
  name: 'contact-assignment-overlay',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN server_assigned_user_id TEXT;
      UPDATE contacts SET server_assigned_user_id = assigned_user_id;
    `);
  },
};
