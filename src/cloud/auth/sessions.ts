import { createHash, randomBytes } from 'node:crypto';
import type { LoginResponse, TokenPair } from '../../shared/cloud/auth';
import { LEGACY_KEY_ID } from '../keys/key-ring';
import { signAccessToken, verifyAccessToken } from './access-token';
import { reserveLoginAttempt } from './login-limit';
import { hashPassword, isWeakerThan, verifyPassword } from './passwords';
import type { CloudContext, Principal } from '../context';
import { ApiError } from '../errors';
import { newId } from '../ids';
import { USER_COLUMNS, toUser } from '../accounts/rows';
import { write, type UnitOfWork } from '../db/unit-of-work';

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * How long after a rotation the immediately previous refresh token is still accepted, when its
 * successor was never used: the client crashed or lost the response before it could keep the new
 * token (issue #13 item 5). Any other replay is reuse and ends the session.
 */
export const REFRESH_GRACE_SECONDS = 300;
/** The access token names its pair by this many characters of the refresh token's hash. */
const PAIR_ID_LENGTH = 22;

async function issueTokens(ctx: CloudContext, q: { query: CloudContext['db']['query'] }, principal: Principal): Promise<{ tokens: TokenPair; tokenHash: string }> {
  const refreshToken = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(refreshToken);
  await q.query(
    `INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
    [tokenHash, principal.sessionId, ctx.config.refreshTokenTtlDays],
  );
  const ttl = ctx.config.accessTokenTtlSeconds;
  const accessToken = signAccessToken(
    { sub: principal.userId, acc: principal.accountId, role: principal.role, sid: principal.sessionId, rtp: tokenHash.slice(0, PAIR_ID_LENGTH) },
    ctx.keys.current('jwt'),
    ttl,
  );
  return { tokens: { accessToken, accessTokenExpiresIn: ttl, refreshToken, sessionId: principal.sessionId }, tokenHash };
}

type SessionUser = { id: string; account_id: string; role: 'admin' | 'user'; password_hash: string };

/** The user who signs in with this email, if any (not deleted). */
async function userByEmail(ctx: CloudContext, email: string): Promise<SessionUser | undefined> {
  const rows = await ctx.db.query<SessionUser>(`SELECT id, account_id, role, password_hash FROM users WHERE email = $1 AND deleted_at IS NULL`, [email]);
  return rows[0];
}

export async function login(
  ctx: CloudContext,
  input: { email: string; password: string; deviceName: string },
  ip: string,
): Promise<LoginResponse> {
  const slot = await reserveLoginAttempt(ctx, input.email, ip);
  const user = await userByEmail(ctx, input.email);
  const valid = await verifyPassword(user?.password_hash ?? (await ctx.dummyPasswordHash), input.password);
  if (!user || !valid) {
    await ctx.db.query(`INSERT INTO login_attempts (email, ip, succeeded) VALUES ($1, $2, false)`, [input.email, ip]);
    throw new ApiError('INVALID_CREDENTIALS', 'Email or password is incorrect');
  }
  await slot.succeeded();
  // Hashed with weaker parameters than configured (an older build): upgrade now that the password is known.
  const rehashed = isWeakerThan(user.password_hash, ctx.config.argon2) ? await hashPassword(input.password, ctx.config.argon2) : null;
  return openSession(ctx, user, { deviceName: input.deviceName, ip }, async (uow) => {
    await uow.q.query(`INSERT INTO login_attempts (email, ip, succeeded) VALUES ($1, $2, true)`, [input.email, ip]);
    if (rehashed) {
      await uow.q.query(`UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3`, [user.id, rehashed, user.password_hash]);
      await uow.audit(user.id, 'auth.password_rehashed', 'user', user.id, { memoryCost: ctx.config.argon2.memoryCost, timeCost: ctx.config.argon2.timeCost });
    }
  });
}

/**
 * A new session for a user already authenticated, in one transaction with `before` (what the way in
 * records). `entry` is the audit entry's details: the device, the address, and how, if not the route.
 */
function openSession(
  ctx: CloudContext,
  user: SessionUser,
  entry: { deviceName: string; ip: string; how?: string },
  before?: (uow: UnitOfWork) => Promise<void>,
): Promise<LoginResponse> {
  return write(ctx.db, user.account_id, async (uow) => {
    await before?.(uow);
    const sessionId = newId('ses');
    await uow.q.query(`INSERT INTO sessions (id, user_id, device_name) VALUES ($1, $2, $3)`, [sessionId, user.id, entry.deviceName]);
    await uow.audit(user.id, 'auth.login', 'session', sessionId, entry);
    const { tokens } = await issueTokens(ctx, uow.q, { userId: user.id, accountId: user.account_id, role: user.role, sessionId });
    const profile = await uow.q.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [user.id]);
    return { ...tokens, user: toUser(profile[0]!) };
  });
}

/**
 * Signs a user in WITHOUT a password, for the process that started this cloud and owns its database:
 * the embedded default signs its demo receptionist in this way at every start (issue #21: the
 * published password's argon2 check and the HTTP round trip took 0.15–0.25 s of it). No route reaches
 * it, and a cloud outside sandbox mode refuses. The session is like any other (audited as
 * `auth.login`, how: 'in-process', revocable, refreshed).
 */
export async function signInInProcess(ctx: CloudContext, input: { email: string; deviceName: string }): Promise<LoginResponse> {
  // Defence in depth: only a sandbox-mode cloud (loopback only, the embedded default's) issues them.
  if (!ctx.config.sandbox) throw new ApiError('FORBIDDEN', 'Sessions without a password are issued only in sandbox mode (the embedded default)');
  const user = await userByEmail(ctx, input.email);
  if (!user) throw new ApiError('INVALID_CREDENTIALS', `No user ${input.email} to sign in`);
  return openSession(ctx, user, { deviceName: input.deviceName, ip: 'in-process', how: 'in-process' });
}

export async function refresh(ctx: CloudContext, refreshToken: string): Promise<TokenPair> {
  type Outcome = { kind: 'ok'; tokens: TokenPair } | { kind: 'reused' } | { kind: 'revoked' } | { kind: 'invalid' };
  const found = await ctx.db.query<{ account_id: string }>(
    `SELECT u.account_id FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id JOIN users u ON u.id = s.user_id WHERE rt.token_hash = $1`,
    [hashToken(refreshToken)],
  );
  const accountId = found[0]?.account_id;
  if (!accountId) throw new ApiError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid; sign in again');
  const outcome = await write<Outcome>(ctx.db, accountId, async (uow) => {
    const rows = await uow.q.query<{
      session_id: string; spent_at: string | null; expired: boolean; revoked_at: string | null;
      user_id: string; role: 'admin' | 'user'; user_deleted: string | null; replaced_by: string | null; in_grace: boolean;
    }>(
      `SELECT rt.session_id, rt.spent_at, rt.expires_at <= now() AS expired, s.revoked_at, s.user_id, u.role, u.deleted_at AS user_deleted,
              rt.replaced_by, coalesce(rt.spent_at > now() - make_interval(secs => $2), false) AS in_grace
         FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id JOIN users u ON u.id = s.user_id
        WHERE rt.token_hash = $1 FOR NO KEY UPDATE OF rt, s`,
      [hashToken(refreshToken), REFRESH_GRACE_SECONDS],
    );
    const row = rows[0];
    if (!row || row.user_deleted) return { kind: 'invalid' };
    if (row.revoked_at) return { kind: 'revoked' };
    const principal = { userId: row.user_id, accountId, role: row.role, sessionId: row.session_id };
    if (row.spent_at) {
      // The client never received (or never kept) the successor: the same pair again, once per rotation.
      if (row.in_grace && !row.expired && row.replaced_by && (await successorUnused(uow.q, row.replaced_by))) {
        await uow.q.query(`UPDATE refresh_tokens SET spent_at = now() WHERE token_hash = $1`, [row.replaced_by]);
        const issued = await issueTokens(ctx, uow.q, principal);
        await uow.q.query(`UPDATE refresh_tokens SET replaced_by = $2 WHERE token_hash = $1`, [hashToken(refreshToken), issued.tokenHash]);
        await uow.audit(row.user_id, 'auth.refresh_grace', 'session', row.session_id, { graceSeconds: REFRESH_GRACE_SECONDS });
        return { kind: 'ok', tokens: issued.tokens };
      }
      // A spent token came back: someone holds a copy. End the whole session family.
      await uow.q.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'refresh-token-reuse' WHERE id = $1`, [row.session_id]);
      await uow.audit(row.user_id, 'auth.refresh_token_reused', 'session', row.session_id, {});
      uow.revokeSession(row.session_id);
      return { kind: 'reused' };
    }
    if (row.expired) return { kind: 'invalid' };
    await uow.q.query(`UPDATE sessions SET last_used_at = now() WHERE id = $1`, [row.session_id]);
    const issued = await issueTokens(ctx, uow.q, principal);
    await uow.q.query(`UPDATE refresh_tokens SET spent_at = now(), used_at = coalesce(used_at, now()), replaced_by = $2 WHERE token_hash = $1`, [
      hashToken(refreshToken),
      issued.tokenHash,
    ]);
    return { kind: 'ok', tokens: issued.tokens };
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.tokens;
    case 'reused':
      throw new ApiError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session has been signed out for safety');
    case 'revoked':
      throw new ApiError('SESSION_REVOKED', 'This session has been signed out');
    case 'invalid':
      throw new ApiError('REFRESH_TOKEN_INVALID', 'Refresh token is not valid; sign in again');
  }
}

/** The successor was never presented for refresh and its access token never authenticated a request. */
async function successorUnused(q: { query: CloudContext['db']['query'] }, tokenHash: string): Promise<boolean> {
  const rows = await q.query<{ spent_at: string | null; used_at: string | null }>(`SELECT spent_at, used_at FROM refresh_tokens WHERE token_hash = $1 FOR NO KEY UPDATE`, [tokenHash]);
  return rows.length === 1 && rows[0]!.spent_at === null && rows[0]!.used_at === null;
}

/**
 * The first request authenticated by a pair's access token marks the pair used, so its predecessor
 * loses its grace. Remembered per process so later requests cost no write, and shared while it is
 * being written: a desktop's first requests with a new pair come together (the Twilio token, the
 * sync pull, the realtime ticket), and each wrote the same row.
 */
const pairsMarkedUsed = new WeakMap<CloudContext, Map<string, Promise<void>>>();
async function markPairUsed(ctx: CloudContext, sessionId: string, pairId: string): Promise<void> {
  let marked = pairsMarkedUsed.get(ctx);
  if (!marked) pairsMarkedUsed.set(ctx, (marked = new Map()));
  let marking = marked.get(pairId);
  if (!marking) {
    if (marked.size > 50_000) marked.clear();
    const pairs = marked;
    marking = ctx.db
      .query(`UPDATE refresh_tokens SET used_at = now() WHERE session_id = $1 AND left(token_hash, $3) = $2 AND used_at IS NULL`, [sessionId, pairId, PAIR_ID_LENGTH])
      .then(() => undefined);
    pairs.set(pairId, marking);
    // Not remembered when the write failed: the next request tries again.
    marking.catch(() => pairs.delete(pairId));
  }
  await marking;
}

export async function logout(ctx: CloudContext, principal: Principal): Promise<void> {
  await write(ctx.db, principal.accountId, async (uow) => {
    await uow.q.query(`UPDATE sessions SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, 'logout') WHERE id = $1`, [principal.sessionId]);
    await uow.audit(principal.userId, 'auth.logout', 'session', principal.sessionId, {});
    uow.revokeSession(principal.sessionId);
  });
}

/** Access token → the principal, with the role as it is now and the session still live. */
export async function authenticate(ctx: CloudContext, accessToken: string): Promise<Principal> {
  const verified = verifyAccessToken(accessToken, (kid) => ctx.keys.key('jwt', kid ?? LEGACY_KEY_ID));
  if (!verified.ok) {
    throw verified.reason === 'expired'
      ? new ApiError('TOKEN_EXPIRED', 'Access token expired; refresh it')
      : new ApiError('UNAUTHENTICATED', 'Access token is not valid');
  }
  const { claims } = verified;
  const principal = await principalForSession(ctx, claims.sid, claims.sub);
  if (typeof claims.rtp === 'string') await markPairUsed(ctx, claims.sid, claims.rtp);
  return principal;
}

/** A live session's principal (the user's current role); `userId`, when given, must be the session's user. */
export async function principalForSession(ctx: CloudContext, sessionId: string, userId?: string): Promise<Principal> {
  const rows = await ctx.db.query<{ revoked_at: string | null; role: 'admin' | 'user'; account_id: string; deleted_at: string | null; user_id: string }>(
    `SELECT s.revoked_at, u.role, u.account_id, u.deleted_at, u.id AS user_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
    [sessionId],
  );
  const row = rows[0];
  if (!row || row.deleted_at || (userId !== undefined && row.user_id !== userId)) throw new ApiError('UNAUTHENTICATED', 'Access token is not valid');
  if (row.revoked_at) throw new ApiError('SESSION_REVOKED', 'This session has been signed out');
  return { userId: row.user_id, accountId: row.account_id, role: row.role, sessionId };
}
