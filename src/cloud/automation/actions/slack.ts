import type { WebAPICallError } from '@slack/web-api';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { slackErrorName, TOKEN_GONE } from '../../slack/client';
import { noteSlackFailure, openConnectionWith } from '../../slack/connections';
import { postToSlack, type SlackDestination, type SlackPosted } from '../../slack/post';
import { ErrorCode } from '../../slack/web-api';
import { EffectRefused, type ActionContext, type ActionDefinition, type ActionResult } from './types';

type Config = ActionConfig<'slack'>;
type Posted = ({ ok: true } & SlackPosted) | { ok: false; error: string };

/**
 * Slack (a premium action: the engine refuses it plainly when premium actions are off and counts
 * each completed run as a premium execution): a message in the connected workspace — a DM to the
 * contact's assigned user, a custom email, an internal user (each matched to a Slack member by
 * email) or a Slack member; or a public channel (the bot) or private channel (as the person who
 * connected Slack). Merge fields are filled; Slack's own formatting passes through.
 */
export const slackAction: ActionDefinition<Config> = {
  type: 'slack',
  category: 'communication',
  premium: true,
  needsContact: false,
  configSchema: actionConfigSchemas.slack,
  async execute(ctx, config) {
    const open = await openConnectionWith(ctx.db, ctx.ports.secrets(), ctx.account.id, config.connectionId);
    if (!open) return { status: 'error', reason: 'The Slack workspace chosen is no longer connected (Settings → Integrations)' };
    const text = (await ctx.render(config.message)).trim();
    if (text.length === 0) return { status: 'skipped', reason: 'The message is empty once its merge fields are filled' };
    const bot = ctx.ports.slack(open.botToken);

    const destination = await destinationFor(ctx, config, async (email) => {
      try {
        const found = (await bot.users.lookupByEmail({ email })) as { user?: { id?: string } };
        return found.user?.id ?? null;
      } catch (error) {
        if (slackErrorName(error) === 'users_not_found') return null;
        throw error;
      }
    });
    if ('result' in destination) return destination.result;

    const posted = await ctx.effect<Posted>('slack', async () => {
      try {
        return { ok: true, ...(await postToSlack({ bot, user: open.userToken ? ctx.ports.slack(open.userToken) : null }, destination, text)) };
      } catch (error) {
        const e = error as Partial<WebAPICallError>;
        if (e.code === ErrorCode.RateLimitedError) throw new EffectRefused('Slack asked us to slow down');
        // Slack answered with an error (channel_not_found, not_in_channel, token_revoked…): nothing was posted.
        if (e.code === ErrorCode.PlatformError || (error as Error).message === 'no_user_token') return { ok: false, error: slackErrorName(error) === 'unknown_error' ? (error as Error).message : slackErrorName(error) };
        throw error; // no answer: in doubt, never repeated
      }
    });
    if (!posted.ok) {
      if (TOKEN_GONE.has(posted.error)) {
        await noteSlackFailure(ctx.db, ctx.account.id, config.connectionId, { code: ErrorCode.PlatformError, data: { error: posted.error } });
        return { status: 'error', reason: `Slack no longer accepts the workspace's connection (${posted.error}): connect it again in Settings → Integrations` };
      }
      return { status: 'error', reason: `Slack refused the message: ${posted.error === 'no_user_token' ? 'private channels need the connecting person’s permission; connect Slack again' : posted.error}` };
    }
    await ctx.metric('delivered', posted.channel);
    return {
      status: 'completed',
      reason: `Posted in ${open.connection.teamName}${posted.postedAs === 'installer' ? ' as the person who connected Slack' : ''}`,
      output: { channel: posted.channel, ts: posted.ts, postedAs: posted.postedAs },
    };
  },
};

async function destinationFor(
  ctx: ActionContext,
  config: Config,
  memberByEmail: (email: string) => Promise<string | null>,
): Promise<SlackDestination | { result: ActionResult }> {
  if (config.event !== 'direct_message') {
    if (!config.channelId) return { result: { status: 'error', reason: 'No channel is chosen' } };
    return { kind: config.event, channelId: config.channelId };
  }
  const byEmail = async (email: string, who: string): Promise<SlackDestination | { result: ActionResult }> => {
    const memberId = await memberByEmail(email);
    if (!memberId) return { result: { status: 'error', reason: `No member of the Slack workspace has the email ${email} (${who})` } };
    return { kind: 'direct_message', memberId };
  };
  const userEmail = async (id: string): Promise<string | null> =>
    (await ctx.db.query<{ email: string }>(`SELECT email FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [id, ctx.account.id]))[0]?.email ?? null;
  // A direct message saved without a User Source goes to the assigned user: what the builder showed.
  switch (config.userSource ?? 'assigned_user') {
    case 'assigned_user': {
      const id = ctx.contact?.assignedUserId;
      const email = id ? await userEmail(id) : null;
      if (!email) return { result: { status: 'skipped', reason: ctx.contact ? 'The contact has no assigned user' : 'This run has no contact, so there is no assigned user' } };
      return byEmail(email, 'the assigned user');
    }
    case 'internal_user': {
      const email = config.internalUserId ? await userEmail(config.internalUserId) : null;
      if (!email) return { result: { status: 'error', reason: 'The internal user chosen no longer exists' } };
      return byEmail(email, 'the internal user');
    }
    case 'custom_email': {
      const email = (await ctx.render(config.customEmail ?? '')).trim();
      if (!email) return { result: { status: 'skipped', reason: 'The custom email is empty once its merge fields are filled' } };
      return byEmail(email, 'the custom email');
    }
    case 'slack_user':
      if (!config.slackUserId) return { result: { status: 'error', reason: 'No Slack member is chosen' } };
      return { kind: 'direct_message', memberId: config.slackUserId };
  }
}
