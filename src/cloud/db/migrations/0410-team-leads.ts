/**
 * 0410: teams get a lead and unique live names. Membership stays where 0010 put it
 * (`users.team_ids`, synced with each user; a team's member list is derived from it); the lead is
 * one of the members.
 */
export const name = 'team-leads';
export const sql = /* sql */ `
ALTER TABLE teams ADD COLUMN lead_user_id text REFERENCES users(id);
ALTER TABLE teams ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- Two live teams of one practice with the same name would be indistinguishable in a filter.
-- Existing duplicates (there is no way to create them before this version) keep their rows: the
-- later ones get a suffix so the index can be built.
UPDATE teams t SET name = t.name || ' (' || d.n || ')'
  FROM (SELECT id, row_number() OVER (PARTITION BY account_id, lower(name) ORDER BY created_at, id) AS n FROM teams WHERE deleted_at IS NULL) d
 WHERE d.id = t.id AND d.n > 1;
CREATE UNIQUE INDEX teams_live_name ON teams (account_id, lower(name)) WHERE deleted_at IS NULL;
`;
