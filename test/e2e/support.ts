import { request as httpsRequest } from 'node:https';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud/seed';
import type { CallReport } from '../../src/sandbox/control/sandbox-control';
import type { SoftphoneApp } from './fixtures';

/**
 * Test-side access to what the browser host runs in the embedded default: the Twilio sandbox's
 * control API (HTTPS on loopback with the sandbox's own CA: these requests go only to that one
 * loopback port, so its self-signed certificate is not checked) and the cloud API.
 */
export function sandboxApi(app: SoftphoneApp) {
  if (!app.embedded) throw new Error('the host did not report its embedded sandbox');
  const auth = `Basic ${Buffer.from(`${SANDBOX_TWILIO_CREDENTIALS.accountSid}:${SANDBOX_TWILIO_CREDENTIALS.authToken}`).toString('base64')}`;
  const call = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const [host, port] = app.embedded!.sandboxHost.split(':');
      const req = httpsRequest(
        { host, port: Number(port), method, path, rejectUnauthorized: false, headers: { Authorization: auth, 'Content-Type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(JSON.parse(text || '{}') as T) : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`))));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return {
    placeInboundCall: (from: string, to: string) => call<{ callSid: string }>('POST', '/sandbox/calls', { from, to }),
    report: (sid: string) => call<SandboxCallReport>('GET', `/sandbox/calls/${sid}`),
    calls: () => call<SandboxCallReport[]>('GET', '/sandbox/calls'),
    hangUp: (sid: string) => call('POST', `/sandbox/calls/${sid}/hangup`, { by: 'party' }),
    setBehaviour: (number: string, behaviour: Record<string, unknown>) => call('PUT', `/sandbox/behaviours/${encodeURIComponent(number)}`, behaviour),
    fault: (fault: Record<string, unknown>) => call('POST', '/sandbox/faults', fault),
  };
}

/** What the sandbox's control API reports for a call leg (GET /sandbox/calls/:sid). */
export type SandboxCallReport = CallReport & { children?: CallReport[] };

/** The cloud API as the demo admin sees it. */
export async function cloudAsAdmin(app: SoftphoneApp) {
  if (!app.embedded) throw new Error('the host did not report its embedded cloud');
  const base = app.embedded.cloudUrl;
  const login = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    get: async <T>(path: string): Promise<T> => {
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
      return (await res.json()) as T;
    },
  };
}

/** Polls until `check` returns a value (for state that lives outside the page). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, label: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
