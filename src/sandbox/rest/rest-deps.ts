// What the REST handlers need, and the shared account check.
import type { FastifyRequest } from 'fastify';
import type { CallEngine } from '../calls/call-engine';
import type { LiveRecordings } from '../calls/live-recordings';
import type { SandboxContext } from '../context';
import type { AvailableNumber } from '../state/inventory';
import { TwilioRestError } from './errors';

export interface RestDeps {
  ctx: SandboxContext;
  engine: CallEngine;
  liveRecordings: LiveRecordings;
  /** For sale, by E.164; bought numbers leave it, released ones come back. */
  inventory: Map<string, AvailableNumber>;
  /** What each bought number was in the inventory, so a release puts it back unchanged. */
  boughtFrom: Map<string, AvailableNumber>;
  /** Message delivery outcome by destination (default delivered). */
  messageOutcomes: Map<string, 'delivered' | 'undelivered' | 'failed'>;
}

/** HTTP basic auth with AccountSid:AuthToken or ApiKeySid:ApiKeySecret, for the account in the path. */
export function authenticate(deps: RestDeps, req: FastifyRequest): void {
  const header = req.headers.authorization ?? '';
  const [user, ...rest] = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8').split(':');
  const pass = rest.join(':');
  const { accountSid, authToken } = deps.ctx.settings;
  const key = user ? deps.ctx.store.apiKeys.get(user) : undefined;
  const ok = (user === accountSid && pass === authToken) || (key !== undefined && key.secret === pass && key.accountSid === accountSid);
  if (!ok) throw new TwilioRestError(401, 20003, 'Authenticate');
  const pathAccount = (req.params as { AccountSid?: string }).AccountSid;
  if (pathAccount !== accountSid) throw new TwilioRestError(404, 20404, `The requested resource /Accounts/${pathAccount} was not found`);
}

/** Strips Twilio's optional `.json` suffix from a path id. */
export const sidOf = (raw: string): string => raw.replace(/\.json$/, '');
