// What the REST handlers need, and the shared account check.
import type { FastifyRequest } from 'fastify';
import type { CallEngine } from '../calls/call-engine';
import type { LiveRecordings } from '../calls/live-recordings';
import type { SandboxContext } from '../context';
import type { Messaging } from '../messaging/messaging';
import { TwilioRestError } from './errors';
import type { RestFaults } from './rest-faults';

export interface RestDeps {
  ctx: SandboxContext;
  engine: CallEngine;
  liveRecordings: LiveRecordings;
  /** Messages, Messaging Services, templates (messaging/). */
  messaging: Messaging;
  /** Requests left unanswered on purpose (the control API's `drop-rest` fault). */
  faults: RestFaults;
}

export interface AuthOptions {
  /**
   * Standard API keys can use every API except managing keys and the account itself: those
   * routes need the account's own AccountSid:AuthToken, as on Twilio.
   */
  authTokenOnly?: boolean;
}

/** HTTP basic auth with AccountSid:AuthToken or ApiKeySid:ApiKeySecret, for the account in the path. */
export function authenticate(deps: RestDeps, req: FastifyRequest, options: AuthOptions = {}): void {
  const header = req.headers.authorization ?? '';
  const [user, ...rest] = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8').split(':');
  const pass = rest.join(':');
  const { accountSid, authToken } = deps.ctx.settings;
  const key = user ? deps.ctx.store.apiKeys.get(user) : undefined;
  const byAuthToken = user === accountSid && pass === authToken;
  const byKey = key !== undefined && key.secret === pass && key.accountSid === accountSid;
  if (!byAuthToken && !byKey) throw new TwilioRestError(401, 20003, 'Authenticate');
  if (options.authTokenOnly && !byAuthToken) throw new TwilioRestError(403, 20003, 'API keys cannot manage API keys or the account; authenticate with the AccountSid and AuthToken');
  const rawPathAccount = (req.params as { AccountSid?: string }).AccountSid;
  if (rawPathAccount === undefined) return; // a list across accounts (/Accounts.json)
  const pathAccount = sidOf(rawPathAccount);
  if (pathAccount !== accountSid) throw new TwilioRestError(404, 20404, `The requested resource /Accounts/${pathAccount} was not found`);
}

/** Strips Twilio's optional `.json` suffix from a path id. */
export const sidOf = (raw: string): string => raw.replace(/\.json$/, '');
