/**
 * 0220: a text task's message as sent (`message_id`: its row in outbound_messages — the contact's
 * history — which 0610 creates later in the order, so the id is checked in code, not by a foreign
 * key), and when an open task expires (`expires_at`, marked `expired` by the cloud's sweep).
 */
export const name = 'task-texts';
export const sql = /* sql */ `
ALTER TABLE tasks
  ADD COLUMN message_id text,
  ADD COLUMN expires_at timestamptz;
CREATE INDEX tasks_expiring ON tasks (expires_at) WHERE expires_at IS NOT NULL AND status IN ('queued', 'in_progress');
`;
