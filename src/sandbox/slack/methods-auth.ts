// auth.test, auth.revoke and oauth.v2.access (the code exchange of "Connect Slack").
import { type MethodCall, type MethodSpec, SlackApiError, str } from './method-context';

function authTest(call: MethodCall): Record<string, unknown> {
  const t = call.token!;
  const user = call.workspace.users.get(t.userId);
  return {
    url: call.workspace.url,
    team: call.workspace.team.name,
    user: user?.name ?? '',
    team_id: call.workspace.team.id,
    user_id: t.userId,
    ...(t.kind === 'bot' ? { bot_id: call.installations.app.botId } : {}),
    is_enterprise_install: false,
  };
}

function authRevoke(call: MethodCall): Record<string, unknown> {
  if (str(call.args, 'test') === 'true' || str(call.args, 'test') === '1') return { revoked: false };
  return { revoked: call.installations.revoke(call.token!.token) };
}

function oauthAccess(call: MethodCall): Record<string, unknown> {
  const { app } = call.installations;
  const clientId = call.basic?.user ?? str(call.args, 'client_id');
  const secret = call.basic?.pass ?? str(call.args, 'client_secret');
  if (!clientId || clientId !== app.clientId) throw new SlackApiError('invalid_client_id');
  if (secret !== app.clientSecret) throw new SlackApiError('bad_client_secret');
  const code = str(call.args, 'code');
  if (!code) throw new SlackApiError('invalid_code');
  const granted = call.installations.redeem(code, str(call.args, 'redirect_uri') ?? null);
  if ('error' in granted) throw new SlackApiError(granted.error);
  call.events.emitEvent('slack.installed', { teamId: call.workspace.team.id, installer: granted.installer, botScopes: granted.bot.scopes, userScopes: granted.user?.scopes ?? [] });
  return {
    app_id: app.id,
    authed_user: granted.user
      ? { id: granted.installer, scope: granted.user.scopes.join(','), access_token: granted.user.token, token_type: 'user' }
      : { id: granted.installer },
    scope: granted.bot.scopes.join(','),
    token_type: 'bot',
    access_token: granted.bot.token,
    bot_user_id: app.botUserId,
    team: { id: call.workspace.team.id, name: call.workspace.team.name },
    enterprise: null,
    is_enterprise_install: false,
  };
}

export const authMethods: Record<string, MethodSpec> = {
  'auth.test': { handler: authTest, needsToken: true },
  'auth.revoke': { handler: authRevoke, needsToken: true },
  'oauth.v2.access': { handler: oauthAccess, needsToken: false },
};
