import type { WebClient } from '@slack/web-api';

/**
 * Posting, as the Slack action and the test message do it: a direct message is opened by the app
 * (conversations.open) and posted by the bot; a public channel is posted by the bot (chat:write.public,
 * no invitation needed); a private channel is posted with the installing person's token, so it
 * appears as sent by that person (the seed's "Data produced").
 */
export type SlackDestination =
  | { kind: 'direct_message'; memberId: string }
  | { kind: 'public_channel'; channelId: string }
  | { kind: 'private_channel'; channelId: string };

export interface SlackPosted {
  channel: string;
  ts: string;
  postedAs: 'bot' | 'installer';
}

export async function postToSlack(clients: { bot: WebClient; user: WebClient | null }, destination: SlackDestination, text: string): Promise<SlackPosted> {
  if (destination.kind === 'direct_message') {
    const opened = (await clients.bot.conversations.open({ users: destination.memberId })) as { channel?: { id?: string } };
    const channel = opened.channel?.id ?? destination.memberId;
    const posted = await clients.bot.chat.postMessage({ channel, text, unfurl_links: false });
    return { channel, ts: String(posted.ts), postedAs: 'bot' };
  }
  if (destination.kind === 'public_channel') {
    const posted = await clients.bot.chat.postMessage({ channel: destination.channelId, text, unfurl_links: false });
    return { channel: destination.channelId, ts: String(posted.ts), postedAs: 'bot' };
  }
  if (!clients.user) throw new Error('no_user_token');
  const posted = await clients.user.chat.postMessage({ channel: destination.channelId, text, unfurl_links: false });
  return { channel: destination.channelId, ts: String(posted.ts), postedAs: 'installer' };
}
