// The Twilio sandbox, in-process: `const sandbox = await startSandbox()`. See README.md.
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mintAccessToken } from './auth/mint-token';
import { CallEngine } from './calls/call-engine';
import { SandboxControl } from './control/sandbox-control';
import type { SandboxContext, SandboxSettings } from './context';
import { EventLog } from './events/event-log';
import { createHttpsServer } from './http/server';
import { ConnectingMedia } from './media/connecting-media';
import { MediaClock } from './media/media-clock';
import { preloadMedia } from './media/far-end';
import { carryOutHeldRequests, registerRestRoutes } from './rest/routes';
import { controlGuard, registerControlRoutes } from './control/control-routes';
import { registerEventGateway, registerInsightsControl } from './http/event-gateway';
import { registerSdkSounds } from './http/sdk-sounds';
import { hostResolverRules } from './tls/twilio-hostnames';
import type { InsightsLog } from './state/insights';
import { SignalingEdge } from './signaling/edge';
import { SandboxStore } from './state/store';
import { loadCertificates } from './tls/certificates';
import { TwimlRunner } from './twiml/runner';
import { WebhookClient } from './webhooks/webhook-client';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the sandbox never listens beyond loopback unless told to. */
  host?: string;
  accountSid?: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
  /** Signaling heartbeat period; the SDK drops a socket after 15 s of silence. Default 5000. */
  heartbeatMs?: number;
  /** Multiplies TwiML waits (Pause, Say length, timeouts). Default 1. */
  timeScale?: number;
  /** Say duration per character, before timeScale. Default 60. */
  sayMsPerChar?: number;
  /** How long a Device call survives a dropped signaling socket, waiting for a reconnect. Default 30000. */
  reconnectWindowMs?: number;
  /** Base delay between callback retries (doubling). Default 200. */
  callbackRetryBaseMs?: number;
  /**
   * A file to keep the TLS certificates in (private key included; written readable by its owner
   * only) and reuse while they are good. Unset (default): a new pair at every start.
   */
  certificateCacheFile?: string;
}

export interface Sandbox {
  /** "127.0.0.1:<port>": pass as the Device's `chunderw` and `eventgw`. */
  edgeHost: string;
  /** https://127.0.0.1:<port> : replaces https://api.twilio.com. */
  restBaseUrl: string;
  port: number;
  /** PEM of the CA that signed the sandbox's certificate: trust exactly this. */
  caPem: string;
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  control: SandboxControl;
  events: EventLog;
  /** What Voice SDKs posted to the Insights event gateway (call-quality events, metrics). */
  insights: InsightsLog;
  /**
   * Chromium's `--host-resolver-rules` value sending every Twilio hostname a client uses by
   * default (signaling edges old and new, Insights, sounds, REST) to this sandbox.
   */
  hostResolverRules: string;
  /** An access token for a Device, signed with the sandbox's API key. */
  createAccessToken(identity: string, opts?: { ttlSeconds?: number; outgoingApplicationSid?: string; incomingAllow?: boolean }): string;
  stop(): Promise<void>;
}

const hex = (n: number): string => randomBytes(n).toString('hex');

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings: SandboxSettings = {
    accountSid: options.accountSid ?? `AC${hex(16)}`,
    authToken: options.authToken ?? hex(16),
    timeScale: options.timeScale ?? 1,
    sayMsPerChar: options.sayMsPerChar ?? 60,
  };
  const apiKeySid = options.apiKeySid ?? `SK${hex(16)}`;
  const apiKeySecret = options.apiKeySecret ?? hex(16);
  const events = new EventLog();
  const store = new SandboxStore();
  store.apiKeys.set(apiKeySid, { sid: apiKeySid, secret: apiKeySecret, accountSid: settings.accountSid, friendlyName: 'Sandbox default key', dateCreated: new Date() });
  const edge = new SignalingEdge(events, (sid) => store.apiKeys.get(sid), options.heartbeatMs ?? 5000);
  const certs = await loadCertificates(options.certificateCacheFile);
  let baseUrl = '';
  const connectingMedia = new ConnectingMedia();
  const ctx: SandboxContext = {
    settings,
    events,
    clock: new MediaClock(),
    connectingMedia,
    edge,
    store,
    webhooks: new WebhookClient(settings.authToken, events, options.callbackRetryBaseMs ?? 200, () => connectingMedia.settled()),
    baseUrl: () => baseUrl,
  };
  const engine = new CallEngine(ctx);
  const runner = new TwimlRunner(ctx, engine);
  engine.setTwimlStarter((leg, source) => runner.start(leg, source));
  const reconnectWindowMs = options.reconnectWindowMs ?? 30_000;
  edge.setCallHandlers(
    (session, message) => engine.onCallFrame(session, message),
    (session) => engine.onSessionClosed(session, reconnectWindowMs),
  );
  const app = createHttpsServer(certs, edge);
  const rest = registerRestRoutes(app, ctx, engine);
  const control = new SandboxControl(ctx, engine, rest.messaging, rest.faults, () => carryOutHeldRequests(app, rest));
  const createAccessToken: Sandbox['createAccessToken'] = (identity, o = {}) =>
    mintAccessToken({ accountSid: settings.accountSid, apiKeySid, apiKeySecret, identity, ...o });
  registerControlRoutes(app, control, settings, createAccessToken);
  // Twilio's other hosts, for clients pointed here by the host-resolver drop-in.
  registerSdkSounds(app, events);
  registerEventGateway(app, store.insights, events, (sid) => store.apiKeys.get(sid));
  registerInsightsControl(app, store.insights, controlGuard(settings));
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  baseUrl = `https://${host}:${port}`;
  events.emitEvent('sandbox.started', { port, accountSid: settings.accountSid });
  // The media stack loads on the first call's media; once a Device has registered (its start is
  // over and it was told it is ready), load it ahead of that call, off the path to "Ready".
  let preload: NodeJS.Timeout | undefined;
  const preloadOnRegistration = (event: { type: string }): void => {
    if (event.type !== 'device.registered') return;
    events.off('event', preloadOnRegistration);
    preload = setTimeout(() => {
      try {
        preloadMedia();
      } catch {
        // The first call loads it again and reports why it cannot.
      }
    }, 250);
  };
  events.on('event', preloadOnRegistration);

  return {
    edgeHost: `${host}:${port}`,
    restBaseUrl: baseUrl,
    port,
    caPem: certs.caPem,
    accountSid: settings.accountSid,
    authToken: settings.authToken,
    apiKeySid,
    apiKeySecret,
    control,
    events,
    insights: store.insights,
    hostResolverRules: hostResolverRules(`${host}:${port}`),
    createAccessToken,
    async stop() {
      clearTimeout(preload);
      events.off('event', preloadOnRegistration);
      engine.stopAll();
      edge.closeAll();
      await app.close();
    },
  };
}

export type { SandboxControl, CallReport, InboundCallInput } from './control/sandbox-control';
export type { InventoryControl, NumberAvailability } from './control/inventory-control';
export type { PartyBehaviourInput, ScriptStepInput, AnsweredBy } from './calls/behaviour';
export type { HeardItem, SpokenLine, FetchedMedia } from './calls/party';
export type { VoicemailReport } from './calls/call-report';
export type { MessagingControl, MessageView, InboundMessageInput } from './control/messaging-control';
export type { RelayReport } from './relay/relay-registry';
export type { TranscriptEntry } from './relay/relay-session';
export type { SandboxEvent } from './events/event-log';
export { createSandboxTwilioClient, SandboxHttpClient, type SandboxClientTarget } from './client/twilio-client';
export { startSlackStandIn, DEFAULT_BOT_SCOPES, DEFAULT_USER_SCOPES, type SlackStandIn, type SlackStandInOptions, type SlackControl, type PostedMessage } from './slack';
