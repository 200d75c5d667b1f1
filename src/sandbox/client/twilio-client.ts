// The official twilio client, pointed at a sandbox: a custom httpClient sends what would go to
// *.twilio.com to the sandbox over loopback, trusting exactly the sandbox's CA.
import { request as httpsRequest } from 'node:https';
import { stringify } from 'node:querystring';
import { createRequire } from 'node:module';
import type twilio from 'twilio';

export interface SandboxClientTarget {
  restBaseUrl: string;
  caPem: string;
  accountSid: string;
  authToken: string;
}

interface TwilioRequestOptions {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

/** The shape of `twilio`'s RequestClient that the client uses. */
export class SandboxHttpClient {
  constructor(private readonly target: Pick<SandboxClientTarget, 'restBaseUrl' | 'caPem'>) {}

  request(opts: TwilioRequestOptions): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }> {
    const original = new URL(opts.uri);
    const base = new URL(this.target.restBaseUrl);
    const url = new URL(original.pathname + original.search, base);
    if (opts.params) for (const [k, v] of Object.entries(opts.params)) for (const item of [v].flat()) if (item !== undefined) url.searchParams.append(k, String(item));
    // Most APIs post forms; a few (Content) post JSON, as the twilio RequestClient does.
    const asJson = opts.headers?.['Content-Type'] === 'application/json';
    const body = opts.data ? (asJson ? JSON.stringify(opts.data) : stringify(opts.data as Record<string, string | string[]>)) : undefined;
    const headers: Record<string, string> = { ...(opts.headers ?? {}), Accept: 'application/json' };
    if (opts.username && opts.password) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    if (body !== undefined) headers['Content-Type'] = asJson ? 'application/json' : 'application/x-www-form-urlencoded';
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method: opts.method.toUpperCase(), headers, ca: this.target.caPem, timeout: opts.timeout ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('sandbox request timed out')));
      req.end(body);
    });
  }
}

/** Loaded on first use: the sandbox starts with the app, and this client is for tests and tools. */
const requireHere = createRequire(import.meta.url);

export function createSandboxTwilioClient(target: SandboxClientTarget): twilio.Twilio {
  const twilioPackage = requireHere('twilio') as typeof twilio;
  return twilioPackage(target.accountSid, target.authToken, { accountSid: target.accountSid, httpClient: new SandboxHttpClient(target) as never });
}
