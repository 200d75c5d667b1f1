import type { MessageTemplate } from '../../shared/cloud/templates';
import { int, text, textOrNull, type Row } from '../db/columns';

/** A message_templates row → the wire entity. */
export const TEMPLATE_COLUMNS = `t.id, t.account_id, t.channel, t.name, t.subject, t.body, t.version, t.created_at, t.updated_at, t.updated_by`;
export const toTemplate = (r: Row): MessageTemplate => ({
  id: text(r.id),
  accountId: text(r.account_id),
  channel: text(r.channel) as MessageTemplate['channel'],
  name: text(r.name),
  subject: text(r.subject),
  body: text(r.body),
  version: int(r.version),
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
  updatedBy: textOrNull(r.updated_by),
});
