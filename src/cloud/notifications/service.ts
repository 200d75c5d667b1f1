import type { Notification } from '../../shared/cloud/entities';
import type { CloudContext, Principal } from '../context';
import { notFound } from '../errors';
import { newId } from '../ids';
import { NOTIFICATION_COLUMNS, toNotification } from './rows';
import type { UnitOfWork } from '../db/unit-of-work';

export interface NewNotification {
  userId: string;
  title: string;
  message: string;
  redirect: string | null;
  /** Same key for the same user → created once (replayed webhooks). */
  dedupeKey?: string;
}

/** Creates an internal notification and sends it to the user's sockets. Returns null for a duplicate. */
export async function createNotification(uow: UnitOfWork, input: NewNotification): Promise<string | null> {
  const id = newId('ntf');
  const rows = await uow.q.query(
    `INSERT INTO notifications (id, account_id, user_id, title, message, redirect, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
    [id, uow.accountId, input.userId, input.title, input.message, input.redirect, input.dedupeKey ?? null],
  );
  if (rows.length === 0) return null;
  uow.touch('notifications', id, input.userId);
  uow.send([input.userId], async () => {
    const saved = await uow.q.query(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications nt WHERE nt.id = $1`, [id]);
    return { type: 'notification', notification: toNotification(saved[0]!) };
  });
  return id;
}

export async function listNotifications(ctx: CloudContext, principal: Principal, unreadOnly: boolean, limit: number): Promise<Notification[]> {
  const rows = await ctx.db.query(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications nt WHERE nt.user_id = $1 ${unreadOnly ? 'AND nt.read_at IS NULL' : ''}
      ORDER BY nt.created_at DESC, nt.id DESC LIMIT $2`,
    [principal.userId, limit],
  );
  return rows.map(toNotification);
}

export async function markNotificationRead(uow: UnitOfWork, principal: Principal, id: string): Promise<Notification> {
  const rows = await uow.q.query(
    `UPDATE notifications nt SET read_at = coalesce(read_at, now()) WHERE nt.id = $1 AND nt.user_id = $2 RETURNING ${NOTIFICATION_COLUMNS}`,
    [id, principal.userId],
  );
  if (rows.length === 0) throw notFound('Notification');
  uow.touch('notifications', id, principal.userId);
  const saved = await uow.q.query(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications nt WHERE nt.id = $1`, [id]);
  return toNotification(saved[0]!);
}

export async function markAllNotificationsRead(uow: UnitOfWork, principal: Principal): Promise<number> {
  const rows = await uow.q.query<{ id: string }>(
    `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id`,
    [principal.userId],
  );
  for (const row of rows) uow.touch('notifications', row.id, principal.userId);
  return rows.length;
}
