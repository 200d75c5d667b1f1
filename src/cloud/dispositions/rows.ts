import type { Disposition } from '../../shared/cloud/entities';
import { text, textOrNull, int, type Row } from '../db/columns';

/** A dispositions row → the wire entity. */
export const DISPOSITION_COLUMNS = `d.id, d.account_id, d.label, d.position, d.seq, d.deleted_at`;
export const toDisposition = (r: Row): Disposition => ({
  id: text(r.id),
  accountId: text(r.account_id),
  label: text(r.label),
  position: int(r.position),
  seq: int(r.seq),
  deletedAt: textOrNull(r.deleted_at),
});
