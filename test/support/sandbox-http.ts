import { request as httpsRequest } from 'node:https';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import type { CallReport } from '../../src/sandbox/control/sandbox-control';

/** What the sandbox's control API reports for a call leg (GET /sandbox/calls/:sid). */
export type SandboxCallReport = CallReport & { children?: CallReport[] };

/**
 * The Twilio sandbox's control API over HTTP, as a test reaches the one a browser host started
 * (HTTPS on loopback with the sandbox's own CA: these requests go only to that one loopback port,
 * so its self-signed certificate is not checked).
 */
export function sandboxHttp(sandboxHost: string) {
  const auth = `Basic ${Buffer.from(`${SANDBOX_TWILIO_CREDENTIALS.accountSid}:${SANDBOX_TWILIO_CREDENTIALS.authToken}`).toString('base64')}`;
  const [host, port] = sandboxHost.split(':');
  const call = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
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
    /** `behaviour`: how the caller behaves (e.g. a ConversationRelay `script` of lines to speak). */
    placeInboundCall: (from: string, to: string, behaviour: Record<string, unknown> = {}) => call<{ callSid: string }>('POST', '/sandbox/calls', { ...behaviour, from, to }),
    report: (sid: string) => call<SandboxCallReport>('GET', `/sandbox/calls/${sid}`),
    /** The call's latest ConversationRelay session: what the caller and the agent said. */
    relay: (sid: string) => call<{ transcript: Array<{ role: 'caller' | 'agent'; text: string }> }>('GET', `/sandbox/calls/${sid}/relay`),
    calls: () => call<SandboxCallReport[]>('GET', '/sandbox/calls'),
    hangUp: (sid: string) => call('POST', `/sandbox/calls/${sid}/hangup`, { by: 'party' }),
    setBehaviour: (number: string, behaviour: Record<string, unknown>) => call('PUT', `/sandbox/behaviours/${encodeURIComponent(number)}`, behaviour),
    fault: (fault: Record<string, unknown>) => call('POST', '/sandbox/faults', fault),
    /** Texts the sandbox accepted (GET /sandbox/messages), optionally to one number. */
    /** Every event the sandbox logged (webhooks sent and their answers, calls' errors), oldest first. */
    events: () => call<Array<{ seq: number; type: string } & Record<string, unknown>>>('GET', '/sandbox/events'),
    messages: (to?: string) => call<Array<{ sid: string; from: string; to: string; body: string }>>('GET', `/sandbox/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`),
  };
}
