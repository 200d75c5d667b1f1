import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import WebSocket from 'ws';
import { tokenPairSchema, type LoginResponse, type TokenPair } from '../../src/shared/cloud/auth';
import type { ServerMessage } from '../../src/shared/cloud/realtime';
import { DEMO_PASSWORD, DEMO_USERS, SANDBOX_TWILIO_CREDENTIALS, sandboxConfig, startCloud, type AutomationOptions, type RunningCloud, type StartCloudOptions, type TwilioRest } from '../../src/cloud/index';
import type { CloudConfig } from '../../src/cloud/config';
import { testPostgresForFile, type TestPostgres } from './postgres';
import { testSchemaTemplate } from './schema-template';

export type Backend = 'pglite' | 'postgres';
export const backends: Backend[] = ['pglite', 'postgres'];

/** This file's PostgreSQL (the run's shared cluster, or one of its own); each cloud gets its own database. */
let cluster: Promise<TestPostgres> | undefined;
export function testPostgres(): Promise<TestPostgres> {
  cluster ??= testPostgresForFile();
  return cluster;
}
export async function stopTestPostgres(): Promise<void> {
  if (!cluster) return;
  const c = await cluster;
  cluster = undefined;
  await c.stop();
}

/** Records the REST calls the cloud makes (tests that do not need the sandbox). */
export class RecordingTwilioRest implements TwilioRest {
  readonly calls: { method: 'updateCall' | 'setRecordingStatus' | 'connectedClients'; sid: string; args: unknown }[] = [];
  failWith: Error | undefined;
  /** Per parent call sid: the user ids Twilio would say are connected now. */
  readonly connected = new Map<string, string[]>();
  async updateCall(sid: string, update: { twiml?: string; status?: 'completed' }) {
    if (this.failWith) throw this.failWith;
    this.calls.push({ method: 'updateCall', sid, args: update });
  }
  /** Errors the next setRecordingStatus calls throw, in order (e.g. Twilio's 404 before a recording starts). */
  readonly recordingFailures: Error[] = [];
  async setRecordingStatus(sid: string, status: 'paused' | 'in-progress') {
    if (this.failWith) throw this.failWith;
    const failure = this.recordingFailures.shift();
    if (failure) throw failure;
    this.calls.push({ method: 'setRecordingStatus', sid, args: status });
  }
  async connectedClients(sid: string) {
    if (this.failWith) throw this.failWith;
    this.calls.push({ method: 'connectedClients', sid, args: null });
    return this.connected.get(sid) ?? [];
  }
}

export interface TestCloud {
  cloud: RunningCloud;
  backend: Backend;
  databaseUrl: string | undefined;
  rest: RecordingTwilioRest;
  login(who: keyof typeof DEMO_USERS): Promise<LoginResponse>;
  /** POST /v1/auth/refresh with this refresh token: the answer as it came (tests of refusals). */
  refresh(refreshToken: string): ReturnType<TestCloud['api']>;
  /** A refresh that must succeed: the new pair (throws with the answer otherwise). */
  rotate(refreshToken: string): Promise<TokenPair>;
  // Tests read response bodies loosely and validate them with the shared zod schemas where it matters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  /** POSTs a Twilio webhook signed with the sandbox auth token (or a given signature). */
  webhook(path: string, params: Record<string, string>, signature?: string | null): Promise<{ status: number; text: string; headers: Headers }>;
  socket(token: string): Promise<TestSocket>;
  stop(): Promise<void>;
}

export interface TestSocket {
  ws: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message (already received or future) matching the predicate. */
  next<T extends ServerMessage['type']>(type: T, predicate?: (m: Extract<ServerMessage, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  close(): void;
}

export const fastArgon = { memoryCost: 1024, timeCost: 1 };

/** What a test may plug into the cloud besides configuration. */
export interface TestCloudPlugs {
  /** Run the automation engine's workers, with these ports or clock (tests of workflows). */
  automation?: AutomationOptions;
  /** Capture the standard logger's output (a whole session's log). */
  logStream?: StartCloudOptions['logStream'];
  twoFactor?: StartCloudOptions['twoFactor'];
  /** Start those workers after the API listens (the embedded default's order). */
  workersAfterListening?: boolean;
  /** With workersAfterListening: start them only once this settles too. */
  workersWhen?: StartCloudOptions['workersWhen'];
  /** Requests to practice-configured URLs: another resolver, or production's rule (loopback refused). */
  outbound?: StartCloudOptions['outbound'];
}

export async function startTestCloud(
  backend: Backend,
  overrides: Partial<CloudConfig> & { seed?: boolean; databaseUrl?: string } = {},
  extra: TestCloudPlugs = {},
): Promise<TestCloud> {
  const { seed = true, ...configOverrides } = overrides;
  const dataDir = await mkdtemp(join(tmpdir(), 'aesthetix-pglite-'));
  const databaseUrl = backend === 'postgres' ? (overrides.databaseUrl ?? (await (await testPostgres()).createSchemaDatabase('cloud'))) : undefined;
  const base = sandboxConfig({ dataDir, logLevel: 'silent', argon2: fastArgon, databaseUrl });
  // The automation engine's workers run only where a test asks for them (`extra.automation`): the
  // other suites test the API, which is complete without them (an API-only instance).
  const config = { ...base, automation: { ...base.automation, workers: extra.automation !== undefined }, ...configOverrides, databaseUrl };
  const rest = new RecordingTwilioRest();
  const cloud = await startCloud({ config, seed, pgliteTemplate: testSchemaTemplate, twilioRest: rest, automation: extra.automation, logStream: extra.logStream, twoFactor: extra.twoFactor, workersAfterListening: extra.workersAfterListening, workersWhen: extra.workersWhen, outbound: extra.outbound });
  const openSockets = new Set<WebSocket>();

  const api: TestCloud['api'] = async (token, method, path, body) => {
    const response = await fetch(cloud.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };

  return {
    cloud,
    backend,
    databaseUrl,
    rest,
    api,
    async login(who) {
      const result = await api(undefined, 'POST', '/v1/auth/login', { email: DEMO_USERS[who].email, password: DEMO_PASSWORD, deviceName: 'test' });
      if (result.status !== 200) throw new Error(`login failed: ${result.status} ${JSON.stringify(result.body)}`);
      return result.body as LoginResponse;
    },
    refresh: (refreshToken) => api(undefined, 'POST', '/v1/auth/refresh', { refreshToken }),
    async rotate(refreshToken) {
      const result = await api(undefined, 'POST', '/v1/auth/refresh', { refreshToken });
      if (result.status !== 200) throw new Error(`refresh failed: ${result.status} ${JSON.stringify(result.body)}`);
      return tokenPairSchema.parse(result.body);
    },
    async webhook(path, params, signature) {
      const url = cloud.publicUrl + path;
      const sig = signature === undefined ? twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, url, params) : signature;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sig !== null ? { 'x-twilio-signature': sig } : {}) },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, text: await response.text(), headers: response.headers };
    },
    async socket(token) {
      const ws = new WebSocket(cloud.url.replace('http', 'ws') + '/v1/realtime', { headers: { authorization: `Bearer ${token}` } });
      openSockets.add(ws);
      const messages: ServerMessage[] = [];
      const waiters = new Set<() => void>();
      ws.on('message', (data) => {
        messages.push(JSON.parse(String(data)) as ServerMessage);
        for (const w of [...waiters]) w();
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
      });
      return {
        ws,
        messages,
        next(type, predicate = () => true, timeoutMs = 10_000) {
          return new Promise((resolve, reject) => {
            const check = (): boolean => {
              const found = messages.find((m) => m.type === type && predicate(m as never));
              if (found) {
                waiters.delete(onMessage);
                clearTimeout(timer);
                resolve(found as never);
                return true;
              }
              return false;
            };
            const onMessage = (): void => void check();
            const timer = setTimeout(() => {
              waiters.delete(onMessage);
              reject(new Error(`no ${type} message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.type))}`));
            }, timeoutMs);
            if (!check()) waiters.add(onMessage);
          });
        },
        close: () => ws.close(),
      };
    },
    async stop() {
      for (const ws of openSockets) ws.terminate();
      await cloud.stop();
      await rm(dataDir, { recursive: true, force: true });
      // Sandbox mode keeps its generated server keys beside the data folder.
      await rm(`${dataDir}.keys.json`, { force: true });
    },
  };
}

/** A random Twilio-looking CallSid. */
export const callSid = (): string => `CA${Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;
export { DEMO_USERS, DEMO_PASSWORD };
