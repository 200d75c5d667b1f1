/**
 * 0140: run steps get an insertion order. Two steps of a run may carry the same created_at (the
 * engine's clock has millisecond resolution, and a test clock stands still between ticks), so the
 * execution log orders by `seq` after created_at, never by the step key's spelling.
 */
export const name = 'run-step-order';
export const sql = /* sql */ `
ALTER TABLE run_steps ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
`;
