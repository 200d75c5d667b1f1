import type Database from 'better-sqlite3';
import type { Account, Disposition, Location, PhoneNumber, Team, User } from '../../shared/cloud';
import type { AccountRow, DispositionRow, LocationRow, PhoneNumberRow, TeamRow, UserRow } from './rows';
import { toAccount, toDisposition, toLocation, toPhoneNumber, toTeam, toUser } from './rows';
import { statement } from './statements';

/** The practice's reference data as pulled: account, locations, teams, users, phone numbers, dispositions. */

export function account(db: Database.Database): Account | null {
  const row = statement(db, 'SELECT * FROM accounts ORDER BY seq DESC LIMIT 1').get() as AccountRow | undefined;
  return row ? toAccount(row) : null;
}

export const locations = (db: Database.Database): Location[] =>
  (statement(db, 'SELECT * FROM locations ORDER BY name, id').all() as LocationRow[]).map(toLocation);

export const teams = (db: Database.Database): Team[] => (statement(db, 'SELECT * FROM teams ORDER BY name, id').all() as TeamRow[]).map(toTeam);

export function users(db: Database.Database, options?: { includeDeleted?: boolean }): User[] {
  const sql = options?.includeDeleted ? 'SELECT * FROM users ORDER BY name, id' : 'SELECT * FROM users WHERE deleted_at IS NULL ORDER BY name, id';
  return (statement(db, sql).all() as UserRow[]).map(toUser);
}

export function userById(db: Database.Database, id: string): User | null {
  const row = statement(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  return row ? toUser(row) : null;
}

export const phoneNumbers = (db: Database.Database): PhoneNumber[] =>
  (statement(db, 'SELECT * FROM phone_numbers ORDER BY name, id').all() as PhoneNumberRow[]).map(toPhoneNumber);

export function phoneNumberByNumber(db: Database.Database, e164: string): PhoneNumber | null {
  const row = statement(db, 'SELECT * FROM phone_numbers WHERE number = ? ORDER BY seq DESC LIMIT 1').get(e164) as PhoneNumberRow | undefined;
  return row ? toPhoneNumber(row) : null;
}

/** What the picker offers: not deleted, in admin order (keys 1–0). */
export const activeDispositions = (db: Database.Database): Disposition[] =>
  (statement(db, 'SELECT * FROM dispositions WHERE deleted_at IS NULL ORDER BY position, id').all() as DispositionRow[]).map(toDisposition);

export const activeDispositionCount = (db: Database.Database): number =>
  statement(db, 'SELECT count(*) FROM dispositions WHERE deleted_at IS NULL').pluck().get() as number;

/** Including deleted ones (they still label old calls). */
export const allDispositions = (db: Database.Database): Disposition[] =>
  (statement(db, 'SELECT * FROM dispositions ORDER BY deleted_at IS NOT NULL, position, id').all() as DispositionRow[]).map(toDisposition);

export function dispositionById(db: Database.Database, id: string): Disposition | null {
  const row = statement(db, 'SELECT * FROM dispositions WHERE id = ?').get(id) as DispositionRow | undefined;
  return row ? toDisposition(row) : null;
}
