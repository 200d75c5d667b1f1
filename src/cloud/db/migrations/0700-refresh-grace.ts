/**
 * 0700: crash-safe refresh-token rotation (issue #13 item 5). A rotated token remembers its
 * successor (`replaced_by`, a token hash) and each token records when its pair was first put to use
 * (`used_at`: its access token authenticated a request, or it was itself presented for refresh).
 * The cloud then accepts the immediately previous token for a short grace window when the client
 * evidently never received its successor (a crash or a truncated response), and keeps reuse
 * detection for everything else.
 */
export const name = 'refresh-grace';
export const sql = /* sql */ `
ALTER TABLE refresh_tokens ADD COLUMN replaced_by text;
ALTER TABLE refresh_tokens ADD COLUMN used_at timestamptz;
`;
