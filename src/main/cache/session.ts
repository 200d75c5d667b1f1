import type Database from 'better-sqlite3';
import type { User } from '../../shared/cloud';
import { userById } from './directory';
import { statement } from './statements';

/** The signed-in user, kept in the one-row `session` table (so an offline start knows who it is). */

export function setSessionUser(db: Database.Database, user: User, signedInAt: string, cloud: string | null): void {
  statement(
    db,
    `INSERT INTO session (singleton, user_id, user_json, signed_in_at, cloud) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET user_id = excluded.user_id, user_json = excluded.user_json,
       signed_in_at = excluded.signed_in_at, cloud = excluded.cloud`,
  ).run(user.id, JSON.stringify(user), signedInAt, cloud);
}

/** Whose data the cache holds (and whose outbox rows are pushed): the last signed-in user and their cloud. */
export function sessionOwner(db: Database.Database): { userId: string; cloud: string | null } | null {
  const row = statement(db, 'SELECT user_id, cloud FROM session WHERE singleton = 1').get() as { user_id: string; cloud: string | null } | undefined;
  return row ? { userId: row.user_id, cloud: row.cloud } : null;
}

/** The signed-in user, from the latest pulled row when there is one. */
export function sessionUser(db: Database.Database): User | null {
  const row = statement(db, 'SELECT user_id, user_json FROM session WHERE singleton = 1').get() as { user_id: string; user_json: string } | undefined;
  if (!row) return null;
  return userById(db, row.user_id) ?? (JSON.parse(row.user_json) as User);
}

export function clearSession(db: Database.Database): void {
  statement(db, 'DELETE FROM session').run();
}
