import type { SlackConnection } from '../../shared/cloud/slack';
import { text, textOrNull, type Row } from '../db/columns';

export const SLACK_COLUMNS = `s.id, s.account_id, s.team_id, s.team_name, s.app_id, s.bot_user_id, s.bot_token_enc, s.user_token_enc, s.installer_slack_user_id,
  s.connected_by, s.created_at, s.last_error`;

/** A slack_connections row → the wire entity (never the tokens). */
export const toSlackConnection = (r: Row): SlackConnection => ({
  id: text(r.id),
  teamId: text(r.team_id),
  teamName: text(r.team_name),
  botUserId: textOrNull(r.bot_user_id),
  installerSlackUserId: textOrNull(r.installer_slack_user_id),
  canPostToPrivateChannels: r.user_token_enc !== null && r.user_token_enc !== undefined,
  connectedBy: textOrNull(r.connected_by),
  connectedAt: text(r.created_at),
  lastError: textOrNull(r.last_error),
});

/** Where each token is bound (the secret box's context): its account, its connection, which token. */
export const tokenContext = (accountId: string, connectionId: string, which: 'bot' | 'user'): string => `slack:${accountId}:${connectionId}:${which}`;
