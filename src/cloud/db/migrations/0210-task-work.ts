/**
 * 0210: working a task. Who started it and when, who finished it; a call task's call and its
 * outcome (a disposition, or no answer / left voicemail / wrong number) with a note. The outcome is
 * also written on the call record (`calls.task_id`, `calls.task_outcome`) so History and call
 * reporting show it; a call is the outcome of at most one task.
 */
export const name = 'task-work';
export const sql = /* sql */ `
ALTER TABLE tasks
  ADD COLUMN started_at     timestamptz,
  ADD COLUMN started_by     text REFERENCES users(id),
  ADD COLUMN call_id        text REFERENCES calls(id),
  ADD COLUMN call_outcome   text CHECK (call_outcome IN ('disposition', 'no_answer', 'left_voicemail', 'wrong_number')),
  ADD COLUMN disposition_id text REFERENCES dispositions(id),
  ADD COLUMN note           text;
CREATE UNIQUE INDEX tasks_call ON tasks (call_id) WHERE call_id IS NOT NULL;
ALTER TABLE calls
  ADD COLUMN task_id      text REFERENCES tasks(id),
  ADD COLUMN task_outcome text CHECK (task_outcome IN ('disposition', 'no_answer', 'left_voicemail', 'wrong_number'));
`;
