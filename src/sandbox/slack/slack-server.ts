// The HTTP face of the Slack stand-in: Web API methods at /api/<method> (form or JSON bodies,
// token as `Authorization: Bearer` or a `token` argument, HTTP 200 with `ok` — or 429 with
// Retry-After), and the browser's OAuth step at /oauth/v2/authorize.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parse as parseQuery } from 'node:querystring';
import type { EventLog } from '../events/event-log';
import { WITHOUT_JSON_SCHEMAS } from '../../shared/http/without-json-schemas';
import type { Installations, SlackToken } from './installations';
import { authMethods } from './methods-auth';
import { chatMethods } from './methods-chat';
import { directoryMethods } from './methods-directory';
import { type Args, type MethodSpec, SlackApiError } from './method-context';
import type { RateLimiter } from './rate-limits';
import type { Workspace } from './workspace';

const METHODS: Record<string, MethodSpec> = { ...authMethods, ...chatMethods, ...directoryMethods };

export interface ServerDeps {
  workspace: Workspace;
  installations: Installations;
  limiter: RateLimiter;
  events: EventLog;
  /** Who approves an authorization (the installing member); changeable by the control API. */
  installer: () => string;
  consent: 'auto' | 'page';
}

export function createSlackServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, schemaController: WITHOUT_JSON_SCHEMAS });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseQuery(typeof body === 'string' ? body : body.toString('utf8')));
  });

  const api = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const method = (req.params as { method: string }).method;
    const args: Args = { ...((req.query as Args | undefined) ?? {}), ...((req.body as Args | null | undefined) ?? {}) };
    reply.header('content-type', 'application/json; charset=utf-8');
    const spec = METHODS[method];
    if (!spec) return { ok: false, error: 'unknown_method' };
    const basic = basicAuth(req.headers.authorization);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const raw = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    let token: SlackToken | null = null;
    if (spec.needsToken) {
      if (!raw) return fail(deps, method, 'not_authed');
      const found = deps.installations.tokens.get(raw);
      if (!found) return fail(deps, method, 'invalid_auth');
      if (found.revoked) return fail(deps, method, 'token_revoked');
      token = found;
    }
    const caller = token?.token ?? basic?.user ?? String(args.client_id ?? 'anonymous');
    const wait = deps.limiter.check(method, caller, typeof args.channel === 'string' ? args.channel : null);
    if (wait !== null) {
      deps.events.emitEvent('slack.ratelimited', { method, retryAfter: wait });
      return reply.code(429).header('retry-after', String(wait)).send({ ok: false, error: 'ratelimited' });
    }
    try {
      const result = spec.handler({ args, token, basic, workspace: deps.workspace, installations: deps.installations, events: deps.events });
      deps.events.emitEvent('slack.call', { method, ok: true });
      return { ok: true, ...result };
    } catch (error) {
      if (error instanceof SlackApiError) return fail(deps, method, error.error, error.extra);
      throw error;
    }
  };
  app.post('/api/:method', api);
  app.get('/api/:method', api);

  app.get('/oauth/v2/authorize', async (req, reply) => authorize(deps, req.query as Record<string, string | undefined>, reply, deps.consent === 'page' ? 'show' : 'allow'));
  app.post('/oauth/v2/authorize', async (req, reply) => {
    const form = req.body as Record<string, string | undefined>;
    return authorize(deps, form, reply, form.decision === 'allow' ? 'allow' : 'deny');
  });
  return app;
}

function fail(deps: ServerDeps, method: string, error: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  deps.events.emitEvent('slack.call', { method, ok: false, error });
  return { ok: false, error, ...extra };
}

function basicAuth(header: string | undefined): { user: string; pass: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const [user, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return user ? { user, pass: rest.join(':') } : null;
}

const splitScopes = (v: string | undefined): string[] => (v ?? '').split(/[\s,]+/).filter(Boolean);

/** The consent step: approve (as the installing member), deny, or show a page with both choices. */
function authorize(deps: ServerDeps, q: Record<string, string | undefined>, reply: FastifyReply, decision: 'allow' | 'deny' | 'show'): FastifyReply {
  if (q.client_id !== deps.installations.app.clientId) return page(reply, 400, 'Invalid client_id', '<p>This app is not registered with this workspace (invalid_client_id).</p>');
  let redirect: URL;
  try {
    redirect = new URL(q.redirect_uri ?? '');
    if (!/^https?:$/.test(redirect.protocol)) throw new Error('scheme');
  } catch {
    return page(reply, 400, 'Invalid redirect_uri', '<p>redirect_uri must be an http(s) URL (bad_redirect_uri).</p>');
  }
  const botScopes = splitScopes(q.scope);
  const userScopes = splitScopes(q.user_scope);
  if (decision === 'show') {
    const hidden = Object.entries(q).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v ?? '')}">`).join('');
    const installer = deps.workspace.users.get(deps.installer());
    return page(
      reply,
      200,
      `Allow Aesthetix to access ${escapeHtml(deps.workspace.team.name)}?`,
      `<p>Signed in as ${escapeHtml(installer?.realName ?? '')}. Bot permissions: ${escapeHtml(botScopes.join(', ') || 'none')}. On your behalf: ${escapeHtml(userScopes.join(', ') || 'none')}.</p>
<form method="post" action="/oauth/v2/authorize">${hidden}<button name="decision" value="deny">Cancel</button> <button name="decision" value="allow">Allow</button></form>`,
    );
  }
  if (deps.installations.denyNext || decision === 'deny') {
    deps.installations.denyNext = false;
    redirect.searchParams.set('error', 'access_denied');
  } else {
    redirect.searchParams.set('code', deps.installations.issueCode(deps.installer(), botScopes, userScopes, q.redirect_uri ?? null));
  }
  if (q.state !== undefined) redirect.searchParams.set('state', q.state);
  deps.events.emitEvent('slack.authorize', { decision: redirect.searchParams.has('code') ? 'allow' : 'deny', redirectUri: q.redirect_uri });
  return reply.redirect(redirect.toString(), 302);
}

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
