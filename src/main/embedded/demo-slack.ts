import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DemoMessage } from '../../shared/ipc/contract-demo-inbox';
import { startSlackStandIn, type SlackControl, type SlackStandIn } from '../../sandbox/slack';

/**
 * Slack in the embedded default: the Slack stand-in (src/sandbox/slack) on loopback, seeded with a
 * demo workspace, is where the demo practice's "Connect a workspace" goes and where its Slack steps
 * and test messages land. A real deployment keeps Slack's own addresses (config defaults).
 */

/** Named so that Settings, the consent page and the Slack step's account choice all say it is the demo. */
export const DEMO_SLACK_TEAM = 'Glow Med Spa (demo Slack workspace)';
/** Beyond one page of 50 (the settings' page size), so "Load More" has a next page of members and public channels. */
export const DEMO_SLACK_EXTRA_USERS = 60;
export const DEMO_SLACK_EXTRA_CHANNELS = 60;
const CLIENT_ID = '1000000001.2000000002';

export interface DemoSlackPlan {
  port: number;
  clientId: string;
  clientSecret: string;
  /** What the embedded cloud's config points at. */
  apiUrl: string;
  authorizeUrl: string;
  /** The consent page's origin: main may open it in the browser. */
  origin: string;
}

/** The stand-in's addresses and app credentials, known before it starts (the cloud's config needs them). */
export function planDemoSlack(port: number): DemoSlackPlan {
  const origin = `http://127.0.0.1:${port}`;
  return { port, clientId: CLIENT_ID, clientSecret: randomBytes(16).toString('hex'), apiUrl: `${origin}/api/`, authorizeUrl: `${origin}/oauth/v2/authorize`, origin };
}

/**
 * Starts the planned stand-in. Its tokens are kept in `<dataDir>/slack-standin.json`, so a workspace
 * connected once stays connected across restarts; the admin approves on a consent page (Allow / Cancel).
 */
export function startDemoSlack(plan: DemoSlackPlan, dataDir: string): Promise<SlackStandIn> {
  return startSlackStandIn({
    port: plan.port,
    teamName: DEMO_SLACK_TEAM,
    extraUsers: DEMO_SLACK_EXTRA_USERS,
    extraChannels: DEMO_SLACK_EXTRA_CHANNELS,
    clientId: plan.clientId,
    clientSecret: plan.clientSecret,
    stateFile: join(dataDir, 'slack-standin.json'),
    consent: 'page',
  });
}

/** What the demo practice posted to Slack, newest first, as the Demo inbox shows it. */
export function recentSlackMessages(control: Pick<SlackControl, 'messages' | 'workspace'>, limit: number): DemoMessage[] {
  return control
    .messages()
    .slice(-limit)
    .reverse()
    .map((m) => {
      const peer = m.dmWith ? control.workspace.users.get(m.dmWith) : undefined;
      const to = m.kind === 'im' ? `${peer?.realName || peer?.name || m.dmWith || m.channel} (direct message)` : `#${m.channelName}`;
      return { id: `slack:${m.channel}:${m.ts}`, channel: 'slack', to, subject: null, body: m.text, sentAt: new Date(Math.floor(Number(m.ts) * 1000)).toISOString() };
    });
}
