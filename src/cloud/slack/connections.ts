import { createHash, randomBytes } from 'node:crypto';
import type { SlackConnectStart, SlackConnection } from '../../shared/cloud/slack';
import { requireAdmin } from '../auth/roles';
import type { CloudConfig } from '../config';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { NO_SECRETS_KEY, SecretBox } from '../secret-box';
import { slackClient, slackErrorName, TOKEN_GONE } from './client';
import { SLACK_COLUMNS, toSlackConnection, tokenContext } from './rows';

/**
 * Connecting a Slack workspace (OAuth v2): "Connect" hands the admin a Slack authorize link with a
 * single-use state; Slack sends the browser back to the cloud's callback with a code, which the
 * cloud exchanges for the bot token and the installing person's token, sealed before they are
 * stored. Reconnecting the same workspace updates the connection in place (workflows keep it).
 */
export const BOT_SCOPES = ['chat:write', 'chat:write.public', 'channels:read', 'groups:read', 'im:write', 'users:read', 'users:read.email'];
export const USER_SCOPES = ['chat:write', 'channels:read', 'groups:read'];
const STATE_TTL_MS = 10 * 60_000;

export const slackCallbackPath = '/integrations/slack/oauth/callback';
const hashState = (state: string): string => createHash('sha256').update(state).digest('hex');

function slackApp(config: CloudConfig) {
  const app = config.integrations.slack;
  if (!app) throw new ApiError('INTEGRATION_NOT_CONFIGURED', 'Slack is not set up on this server (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are missing)');
  return app;
}

function secretBox(config: CloudConfig): SecretBox {
  const box = SecretBox.fromConfig(config);
  if (!box) throw new ApiError('INTEGRATION_NOT_CONFIGURED', NO_SECRETS_KEY);
  return box;
}

export async function startSlackConnect(ctx: CloudContext, uow: UnitOfWork, principal: Principal): Promise<SlackConnectStart> {
  requireAdmin(principal);
  const app = slackApp(ctx.config);
  secretBox(ctx.config); // refuse now, not after the admin approved at Slack
  const state = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + STATE_TTL_MS).toISOString();
  await uow.q.query(`DELETE FROM slack_oauth_states WHERE expires_at < now() - interval '1 day'`);
  await uow.q.query(`INSERT INTO slack_oauth_states (state_hash, account_id, user_id, expires_at) VALUES ($1, $2, $3, $4)`, [
    hashState(state), uow.accountId, principal.userId, expiresAt,
  ]);
  const url = new URL(app.authorizeUrl);
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('scope', BOT_SCOPES.join(','));
  url.searchParams.set('user_scope', USER_SCOPES.join(','));
  url.searchParams.set('redirect_uri', ctx.publicUrl() + slackCallbackPath);
  url.searchParams.set('state', state);
  return { authorizeUrl: url.toString(), expiresAt };
}

export type CallbackOutcome = { ok: true; connection: SlackConnection } | { ok: false; message: string };

/** The browser came back from Slack. Never throws: the outcome is a page the admin reads. */
export async function finishSlackConnect(ctx: CloudContext, query: { code?: string; state?: string; error?: string }): Promise<CallbackOutcome> {
  if (!query.state) return { ok: false, message: 'The link is incomplete (no state). Start again from Settings → Integrations.' };
  const claimed = await ctx.db.query<{ account_id: string; user_id: string; expired: boolean }>(
    `UPDATE slack_oauth_states SET used_at = now() WHERE state_hash = $1 AND used_at IS NULL RETURNING account_id, user_id, expires_at < now() AS expired`,
    [hashState(query.state)],
  );
  const state = claimed[0];
  if (!state) return { ok: false, message: 'This link was already used or is not ours. Start again from Settings → Integrations.' };
  if (state.expired) return { ok: false, message: 'This link expired (they last 10 minutes). Start again from Settings → Integrations.' };
  if (query.error) return { ok: false, message: query.error === 'access_denied' ? 'Slack was not connected: the request was cancelled at Slack.' : `Slack was not connected: ${query.error}.` };
  if (!query.code) return { ok: false, message: 'Slack sent no authorization code. Start again from Settings → Integrations.' };

  let app: ReturnType<typeof slackApp>;
  let box: SecretBox;
  try {
    app = slackApp(ctx.config);
    box = secretBox(ctx.config);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  let access: OAuthAccess;
  try {
    access = (await slackClient(ctx.config).oauth.v2.access({
      client_id: app.clientId, client_secret: app.clientSecret, code: query.code, redirect_uri: ctx.publicUrl() + slackCallbackPath,
    })) as OAuthAccess;
  } catch (error) {
    ctx.log.warn({ slackError: slackErrorName(error) }, 'Slack OAuth exchange failed');
    return { ok: false, message: `Slack refused the connection (${slackErrorName(error)}). Start again from Settings → Integrations.` };
  }
  if (!access.access_token || !access.team?.id) return { ok: false, message: 'Slack answered without a bot token. Start again from Settings → Integrations.' };
  const connection = await write(ctx.db, state.account_id, (uow) => saveConnection(uow, box, state.user_id, access));
  return { ok: true, connection };
}

interface OAuthAccess {
  access_token?: string;
  scope?: string;
  bot_user_id?: string;
  app_id?: string;
  team?: { id?: string; name?: string };
  authed_user?: { id?: string; access_token?: string; scope?: string };
}

async function saveConnection(uow: UnitOfWork, box: SecretBox, userId: string, access: OAuthAccess): Promise<SlackConnection> {
  const teamId = access.team!.id!;
  const existing = await uow.q.query<{ id: string }>(
    `SELECT id FROM slack_connections WHERE account_id = $1 AND team_id = $2 AND disconnected_at IS NULL FOR NO KEY UPDATE`,
    [uow.accountId, teamId],
  );
  const id = existing[0]?.id ?? newId('slk');
  const bot = box.seal(access.access_token!, tokenContext(uow.accountId, id, 'bot'));
  const user = access.authed_user?.access_token ? box.seal(access.authed_user.access_token, tokenContext(uow.accountId, id, 'user')) : null;
  const split = (s: string | undefined): string => JSON.stringify((s ?? '').split(',').filter(Boolean));
  const values = [id, uow.accountId, teamId, access.team!.name ?? teamId, access.app_id ?? null, access.bot_user_id ?? null, bot, user,
    access.authed_user?.id ?? null, split(access.scope), split(access.authed_user?.scope), userId];
  if (existing[0]) {
    await uow.q.query(
      `UPDATE slack_connections SET team_name = $4, app_id = $5, bot_user_id = $6, bot_token_enc = $7, user_token_enc = $8, installer_slack_user_id = $9,
              bot_scopes = $10::jsonb, user_scopes = $11::jsonb, connected_by = $12, updated_at = now(), last_error = NULL
        WHERE id = $1 AND account_id = $2 AND team_id = $3`,
      values,
    );
  } else {
    await uow.q.query(
      `INSERT INTO slack_connections (id, account_id, team_id, team_name, app_id, bot_user_id, bot_token_enc, user_token_enc, installer_slack_user_id,
                                      bot_scopes, user_scopes, connected_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12)`,
      values,
    );
  }
  await uow.audit(userId, existing[0] ? 'slack.reconnect' : 'slack.connect', 'slack_connection', id, { teamId, teamName: access.team!.name ?? null });
  const rows = await uow.q.query(`SELECT ${SLACK_COLUMNS} FROM slack_connections s WHERE s.id = $1`, [id]);
  return toSlackConnection(rows[0]!);
}

export async function listSlackConnections(ctx: CloudContext, principal: Principal): Promise<SlackConnection[]> {
  const rows = await ctx.db.query(`SELECT ${SLACK_COLUMNS} FROM slack_connections s WHERE s.account_id = $1 AND s.disconnected_at IS NULL ORDER BY s.created_at, s.id`, [
    principal.accountId,
  ]);
  return rows.map(toSlackConnection);
}

/** A live connection of the account with its tokens opened (null: none, or disconnected). */
export interface OpenConnection {
  connection: SlackConnection;
  botToken: string;
  userToken: string | null;
}

export async function openConnection(q: Queryable, config: CloudConfig, accountId: string, id: string): Promise<OpenConnection | null> {
  return openConnectionWith(q, SecretBox.fromConfig(config), accountId, id);
}

/** The same with the key at hand (the Slack action gets it from the engine's ports). */
export async function openConnectionWith(q: Queryable, box: SecretBox | null, accountId: string, id: string): Promise<OpenConnection | null> {
  const rows = await q.query(`SELECT ${SLACK_COLUMNS} FROM slack_connections s WHERE s.id = $1 AND s.account_id = $2 AND s.disconnected_at IS NULL`, [id, accountId]);
  const row = rows[0];
  if (!row) return null;
  if (!box) throw new ApiError('INTEGRATION_NOT_CONFIGURED', NO_SECRETS_KEY);
  return {
    connection: toSlackConnection(row),
    botToken: box.open(String(row.bot_token_enc), tokenContext(accountId, id, 'bot')),
    userToken: row.user_token_enc ? box.open(String(row.user_token_enc), tokenContext(accountId, id, 'user')) : null,
  };
}

export async function requireConnection(ctx: CloudContext, principal: Principal, id: string): Promise<OpenConnection> {
  requireAdmin(principal);
  const open = await openConnection(ctx.db, ctx.config, principal.accountId, id);
  if (!open) throw notFound('Slack connection');
  return open;
}

/** Slack said the token is gone: keep that on the connection so Settings shows "reconnect". */
export async function noteSlackFailure(q: Queryable, accountId: string, id: string, error: unknown): Promise<void> {
  const name = slackErrorName(error);
  if (TOKEN_GONE.has(name)) await q.query(`UPDATE slack_connections SET last_error = $3, updated_at = now() WHERE id = $1 AND account_id = $2`, [id, accountId, name]);
}

/** Disconnects: the tokens are revoked at Slack (best effort) and the connection stops working at once. */
export async function disconnectSlack(ctx: CloudContext, principal: Principal, id: string): Promise<void> {
  const open = await requireConnection(ctx, principal, id);
  for (const token of [open.botToken, open.userToken]) {
    if (!token) continue;
    try {
      await slackClient(ctx.config, token).auth.revoke();
    } catch (error) {
      ctx.log.warn({ slackError: slackErrorName(error), connectionId: id }, 'revoking a Slack token failed; the connection is removed anyway');
    }
  }
  await write(ctx.db, principal.accountId, async (uow) => {
    await uow.q.query(
      `UPDATE slack_connections SET disconnected_at = now(), bot_token_enc = 'revoked', user_token_enc = NULL, updated_at = now() WHERE id = $1 AND account_id = $2`,
      [id, uow.accountId],
    );
    await uow.audit(principal.userId, 'slack.disconnect', 'slack_connection', id, { teamId: open.connection.teamId });
  });
}
