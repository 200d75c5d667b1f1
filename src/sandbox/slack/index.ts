// The Slack Web API stand-in, in-process: `const slack = await startSlackStandIn()`, then
// `new WebClient(token, { slackApiUrl: slack.apiUrl })`. See ../README.md (Slack stand-in).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { EventLog } from '../events/event-log';
import { Installations } from './installations';
import { RateLimiter } from './rate-limits';
import { seedWorkspace } from './seed';
import { registerSlackControlRoutes } from './slack-control-routes';
import { SlackControl } from './slack-control';
import { createSlackServer } from './slack-server';

export interface SlackStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: never beyond loopback unless told to. */
  host?: string;
  /** Same seed, same team / member / channel ids (default 'glow-med-spa'). */
  seed?: string;
  teamName?: string;
  /** A large workspace: extra generated members and public channels (e.g. 1500 and 1200). */
  extraUsers?: number;
  extraChannels?: number;
  /** The app's OAuth credentials (default: a client id derived from the seed, a random secret). */
  clientId?: string;
  clientSecret?: string;
  /** Enforce Slack's published rate-limit tiers (default false; forced 429s work either way). */
  enforceRateLimits?: boolean;
  /** Keep issued tokens in this file, so a restarted stand-in still accepts them. */
  stateFile?: string;
  /** 'auto' approves /oauth/v2/authorize at once as the installer; 'page' shows Allow / Cancel. */
  consent?: 'auto' | 'page';
  /** Bearer token for the HTTP control API at /_standin (default random). */
  controlToken?: string;
}

export interface SlackStandIn {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** Pass as WebClient's `slackApiUrl`: `${baseUrl}/api/`. */
  apiUrl: string;
  /** Where "Connect Slack" sends the browser (Slack's https://slack.com/oauth/v2/authorize). */
  authorizeUrl: string;
  clientId: string;
  clientSecret: string;
  controlToken: string;
  teamId: string;
  control: SlackControl;
  events: EventLog;
  stop(): Promise<void>;
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const seed = options.seed ?? 'glow-med-spa';
  const { workspace, installerId } = seedWorkspace({ seed, ...(options.teamName ? { teamName: options.teamName } : {}), extraUsers: options.extraUsers ?? 0, extraChannels: options.extraChannels ?? 0 });
  const events = new EventLog();
  const installations = new Installations(Installations.defaultApp(seed, options.clientId, options.clientSecret), workspace, options.stateFile ?? null);
  const limiter = new RateLimiter(options.enforceRateLimits ?? false);
  const control = new SlackControl(workspace, installations, limiter, installerId);
  const controlToken = options.controlToken ?? randomBytes(16).toString('hex');
  const app = createSlackServer({ workspace, installations, limiter, events, installer: () => control.installer, consent: options.consent ?? 'auto' });
  registerSlackControlRoutes(app, control, controlToken);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const baseUrl = `http://${host}:${port}`;
  events.emitEvent('slack.started', { port, teamId: workspace.team.id });
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api/`,
    authorizeUrl: `${baseUrl}/oauth/v2/authorize`,
    clientId: installations.app.clientId,
    clientSecret: installations.app.clientSecret,
    controlToken,
    teamId: workspace.team.id,
    control,
    events,
    stop: async () => {
      await app.close();
    },
  };
}

export type { SlackControl, PostedMessage } from './slack-control';
export { DEFAULT_BOT_SCOPES, DEFAULT_USER_SCOPES } from './slack-control';
