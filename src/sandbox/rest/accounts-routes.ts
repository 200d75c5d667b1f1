// The account itself (fetch, list, rename) and its API keys (create — the only time the secret is
// shown — list, fetch, rename, delete). A key created here signs access tokens and authenticates
// REST calls at once. Both need the AccountSid:AuthToken: standard API keys cannot manage them.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiKey } from '../auth/access-token';
import { newSid } from '../sids';
import { notFound } from './errors';
import { parseForm } from './form';
import { page } from './paging';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { date } from './serialize';

const API = '2010-04-01';
const friendlyName = z.object({ FriendlyName: z.string().max(64).optional() });
const accountUpdate = z.object({ FriendlyName: z.string().max(64).optional(), Status: z.enum(['active', 'suspended', 'closed']).optional() });

const ACCOUNT_SUBRESOURCES = [
  'addresses', 'conferences', 'signing_keys', 'transcriptions', 'connect_apps', 'sip', 'authorized_connect_apps', 'usage', 'keys', 'applications',
  'recordings', 'short_codes', 'calls', 'notifications', 'incoming_phone_numbers', 'queues', 'messages', 'outgoing_caller_ids', 'available_phone_numbers', 'balance',
] as const;
const pascal = (key: string): string => key.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());

function keyJson(k: ApiKey): Record<string, unknown> {
  return { sid: k.sid, friendly_name: k.friendlyName ?? k.sid, date_created: date(k.dateCreated), date_updated: date(k.dateUpdated ?? k.dateCreated) };
}

export function registerAccountKeyRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const accountJson = (): Record<string, unknown> => {
    const sid = ctx.settings.accountSid;
    const uri = `/${API}/Accounts/${sid}.json`;
    const a = ctx.store.account;
    return {
      auth_token: ctx.settings.authToken,
      date_created: date(a.dateCreated),
      date_updated: date(a.dateUpdated),
      friendly_name: a.friendlyName,
      owner_account_sid: sid,
      sid,
      status: a.status,
      subresource_uris: Object.fromEntries(ACCOUNT_SUBRESOURCES.map((k) => [k, `/${API}/Accounts/${sid}/${k === 'sip' ? 'SIP' : pascal(k)}.json`])),
      type: 'Full',
      uri,
    };
  };

  app.get('/2010-04-01/Accounts.json', async (req) => {
    authenticate(deps, req, { authTokenOnly: true });
    const q = req.query as Record<string, string | undefined>;
    const account = accountJson();
    const matches = (!q.FriendlyName || q.FriendlyName === account.friendly_name) && (!q.Status || q.Status === account.status);
    return page('accounts', req.url, matches ? [account] : []);
  });
  app.get('/2010-04-01/Accounts/:AccountSid', async (req) => {
    authenticate(deps, req, { authTokenOnly: true });
    return accountJson();
  });
  app.post('/2010-04-01/Accounts/:AccountSid', async (req) => {
    authenticate(deps, req, { authTokenOnly: true });
    const form = parseForm(accountUpdate, req.body);
    if (form.FriendlyName !== undefined) ctx.store.account.friendlyName = form.FriendlyName;
    if (form.Status) ctx.store.account.status = form.Status;
    ctx.store.account.dateUpdated = new Date();
    return accountJson();
  });

  const keys = '/2010-04-01/Accounts/:AccountSid/Keys';
  app.post(keys + '.json', async (req, reply) => {
    authenticate(deps, req, { authTokenOnly: true });
    const form = parseForm(friendlyName, req.body);
    const now = new Date();
    const key: ApiKey = { sid: newSid('SK'), secret: randomBytes(16).toString('hex'), accountSid: ctx.settings.accountSid, friendlyName: form.FriendlyName ?? '', dateCreated: now, dateUpdated: now };
    ctx.store.apiKeys.set(key.sid, key);
    ctx.events.emitEvent('key.created', { sid: key.sid });
    return reply.code(201).send({ ...keyJson(key), secret: key.secret });
  });
  app.get(keys + '.json', async (req) => {
    authenticate(deps, req, { authTokenOnly: true });
    return page('keys', req.url, [...ctx.store.apiKeys.values()].map(keyJson));
  });
  const findKey = (raw: string, url: string): ApiKey => {
    const key = ctx.store.apiKeys.get(sidOf(raw));
    if (!key) throw notFound(url);
    return key;
  };
  app.get(keys + '/:Sid', async (req) => {
    authenticate(deps, req, { authTokenOnly: true });
    return keyJson(findKey((req.params as { Sid: string }).Sid, req.url));
  });
  app.post(keys + '/:Sid', async (req) => {
    authenticate(deps, req, { authTokenOnly: true });
    const key = findKey((req.params as { Sid: string }).Sid, req.url);
    const form = parseForm(friendlyName, req.body);
    if (form.FriendlyName !== undefined) key.friendlyName = form.FriendlyName;
    key.dateUpdated = new Date();
    return keyJson(key);
  });
  // A deleted key stops working at once: REST calls with it fail, and so do Devices whose tokens it signed.
  app.delete(keys + '/:Sid', async (req, reply) => {
    authenticate(deps, req, { authTokenOnly: true });
    const key = findKey((req.params as { Sid: string }).Sid, req.url);
    ctx.store.apiKeys.delete(key.sid);
    ctx.events.emitEvent('key.deleted', { sid: key.sid });
    return reply.code(204).send();
  });
}
