import type { Notification } from '../../shared/cloud/entities';
import { text, textOrNull, int, type Row } from '../db/columns';

/** A notifications row → the wire entity. */
export const NOTIFICATION_COLUMNS = `nt.id, nt.account_id, nt.user_id, nt.title, nt.message, nt.redirect, nt.read_at, nt.created_at, nt.seq`;
export const toNotification = (r: Row): Notification => ({
  id: text(r.id),
  accountId: text(r.account_id),
  userId: text(r.user_id),
  title: text(r.title),
  message: text(r.message),
  redirect: textOrNull(r.redirect),
  readAt: textOrNull(r.read_at),
  createdAt: text(r.created_at),
  seq: int(r.seq),
});
