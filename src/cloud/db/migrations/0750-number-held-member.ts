/**
 * 0750: a number deleted with NO keeps its configuration (seed 001: "To keep the number's
 * configuration … click NO"), and restoring it brings it back as it was. Its settings stay on its
 * row; a held number cannot be anyone's Inbound Number (phone_numbers_assigned_live), so the member
 * it belonged to is kept here and given it back on restore when they have no other. NULL on every
 * number held before (their member was already let go) and on every released one.
 */
export const name = 'number-held-member';
export const sql = /* sql */ `
ALTER TABLE phone_numbers ADD COLUMN held_member_id text REFERENCES users(id);
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_held_member CHECK (status = 'held' OR held_member_id IS NULL);
`;
