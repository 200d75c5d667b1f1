import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import type twilio from 'twilio';
import type { CloudConfig } from '../config';

/** The Twilio REST calls the cloud makes, behind a port so tests can watch them. */
export interface TwilioRest {
  /** Redirects a live call to new TwiML, or ends it (`status: 'completed'`). */
  updateCall(callSid: string, update: { twiml?: string; status?: 'completed' }): Promise<void>;
  /** Pauses or resumes the call's current recording. */
  setRecordingStatus(callSid: string, status: 'paused' | 'in-progress'): Promise<void>;
  /** The softphone identities (user ids) whose leg of this call Twilio has connected now. */
  connectedClients(parentCallSid: string): Promise<string[]>;
}

interface HttpRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: object;
  data?: Record<string, unknown>;
  timeout?: number;
}

/**
 * An httpClient for the official `twilio` package that sends its requests to `baseUrl` instead of
 * https://*.twilio.com (the local sandbox in development and tests). The path and the form body
 * stay exactly as the official client builds them. `caPem` trusts exactly that CA (the sandbox's
 * self-signed one) for https base URLs.
 */
export class RebasedHttpClient {
  constructor(
    private readonly baseUrl: string,
    private readonly caPem?: string,
  ) {}

  request(opts: HttpRequest): Promise<{ statusCode: number; body: unknown; headers: Record<string, string> }> {
    const original = new URL(opts.uri);
    const target = new URL(original.pathname + original.search, this.baseUrl);
    for (const [key, value] of Object.entries(opts.params ?? {})) {
      if (value !== undefined) target.searchParams.append(key, String(value));
    }
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.username) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    let body: string | undefined;
    if (opts.data) {
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(opts.data)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
      }
      body = form.toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        { method: opts.method.toUpperCase(), headers, timeout: opts.timeout ?? 30_000, ...(this.caPem ? { ca: this.caPem } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              // not JSON: the client raises a RestException with the text
            }
            resolve({ statusCode: res.statusCode ?? 0, body: parsed, headers: res.headers as Record<string, string> });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`Twilio REST request timed out: ${target.pathname}`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/**
 * The `twilio` package itself, loaded on first use: its index loads the REST client and axios
 * (~150–200 ms of CPU), which a start does not need — tokens and signatures use their own modules
 * (twilio/lib/jwt/AccessToken.js, twilio/lib/webhooks/webhooks.js; Node's ESM needs the extension). Synchronous, so callers stay as they are.
 */
const requireHere = createRequire(import.meta.url);
let twilioPackage: typeof twilio | undefined;
const loadTwilio = (): typeof twilio => (twilioPackage ??= requireHere('twilio') as typeof twilio);

/**
 * The one way the cloud builds the official Twilio client: the account's credentials, and — when
 * `TWILIO_REST_BASE_URL` is not Twilio's own — an httpClient rebased onto that URL (the sandbox),
 * trusting only its CA. Voice (call updates) and Messaging (2FA codes) both use it.
 */
export function createTwilioClient(config: CloudConfig): twilio.Twilio {
  const rebased = !/^https:\/\/api\.twilio\.com\/?$/.test(config.twilio.restBaseUrl);
  return loadTwilio()(config.twilio.accountSid, config.twilio.authToken, {
    accountSid: config.twilio.accountSid,
    ...(rebased ? { httpClient: new RebasedHttpClient(config.twilio.restBaseUrl, config.twilio.restCaPem) as never } : {}),
  });
}

/** The client is made on the first REST call, not when the cloud starts (see loadTwilio). */
export function createTwilioRest(config: CloudConfig, given?: twilio.Twilio): TwilioRest {
  let made = given;
  const client = () => (made ??= createTwilioClient(config));
  return {
    async updateCall(callSid, update) {
      await client().calls(callSid).update(update);
    },
    async setRecordingStatus(callSid, status) {
      await client().calls(callSid).recordings('Twilio.CURRENT').update({ status });
    },
    async connectedClients(parentCallSid) {
      const legs = await client().calls.list({ parentCallSid, status: 'in-progress', limit: 50 });
      return legs.filter((leg) => leg.to?.startsWith('client:')).map((leg) => leg.to.slice('client:'.length));
    },
  };
}

/** An error the Twilio REST client throws for a request Twilio refused (4xx): its status, code and reason. */
export interface TwilioClientError {
  status: number;
  code?: number;
  message: string;
}

/** Whether Twilio refused the request (4xx) — as opposed to being unreachable or failing (5xx). */
export const isTwilioClientError = (e: unknown): e is TwilioClientError =>
  typeof e === 'object' && e !== null && typeof (e as TwilioClientError).status === 'number' && (e as TwilioClientError).status >= 400 && (e as TwilioClientError).status < 500;
