import type { Migration } from './types';

/**
 * Every outbox row belongs to the cloud and the user that created it, so it is never pushed to
 * another cloud (a settings file that fell back to the demo practice) nor as another user (someone
 * else signing in at the same desk), and a sign-out or a user switch keeps it for its owner.
 * `session.cloud` records which cloud the signed-in user belongs to ('embedded' for the demo
 * practice, else the cloud's origin). Rows written before this migration get the cached user as
 * their owner and no cloud (NULL: the next cloud that user signs in to).
 */
export const migration0050: Migration = {
  version: 50,
  name: 'outbox-owner',
  up(db) {
    db.exec(`
      ALTER TABLE session ADD COLUMN cloud TEXT;
      ALTER TABLE outbox ADD COLUMN owner_cloud TEXT;
      ALTER TABLE outbox ADD COLUMN owner_user TEXT;
      UPDATE outbox SET owner_user = (SELECT user_id FROM session WHERE singleton = 1);
      CREATE INDEX outbox_owner ON outbox (owner_user, owner_cloud, state, seq);
    `);
  },
};
