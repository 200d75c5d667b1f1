/**
 * 0870: indexes for the daily sign-in housekeeping (auth/housekeeping-job.ts), which deletes refresh
 * tokens past their expiry and sign-in attempts older than 90 days in batches. Without them each
 * batch scanned the whole table: a first purge of a long-running practice's million rotations read
 * the table two hundred times over.
 */
export const name = 'sign-in-housekeeping';
export const sql = /* sql */ `
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX login_attempts_at ON login_attempts (at);
`;
