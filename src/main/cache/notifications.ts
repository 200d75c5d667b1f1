import type Database from 'better-sqlite3';
import type { Notification } from '../../shared/cloud';
import type { NotificationRow } from './rows';
import { toNotification } from './rows';
import { statement } from './statements';

/** Internal notifications as pulled (with local read marks folded in by the overlay), newest first. */

export function listNotifications(db: Database.Database, options: { unreadOnly: boolean; limit: number }): Notification[] {
  const sql = options.unreadOnly
    ? 'SELECT * FROM notifications WHERE read_at IS NULL ORDER BY created_ms DESC, id DESC LIMIT ?'
    : 'SELECT * FROM notifications ORDER BY created_ms DESC, id DESC LIMIT ?';
  return (statement(db, sql).all(options.limit) as NotificationRow[]).map(toNotification);
}

export const unreadNotificationCount = (db: Database.Database): number =>
  statement(db, 'SELECT count(*) FROM notifications WHERE read_at IS NULL').pluck().get() as number;
