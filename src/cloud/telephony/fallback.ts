import { BurstLog } from '../burst-log';
import type { CallbackUrls } from './callback-urls';
import { dialConnected, dialSettings } from './dial-settings';
import { whoRings } from './inbound-routing';
import type { CallerContact, NumberRoute } from './routing-cache';
import * as twiml from './twiml';
import { rangThatFits } from './unseen-call-ref';
import { voicemailTwiml } from './voicemail';
import { webhookPaths, type DialCompleteParams, type FallbackParams } from './webhook-params';

/**
 * Each number's routing as last read, for the fallback: by the inbound webhook with each call, and
 * by RoutesRefresher after start and after each change that may reroute an account's numbers. Not
 * a cache (RoutingCache is, and expires in seconds): when the database cannot be asked, ringing the
 * users who rang a minute ago beats an error message. Bounded by the numbers the cloud answers for.
 */
export class LastKnownRoutes {
  private readonly numbers = new Map<string, NumberRoute>();
  private readonly callers = new Map<string, CallerContact | null>();

  constructor(private readonly maxCallers = 10_000) {}

  remember(to: string, number: NumberRoute, from: string, contact: CallerContact | null): void {
    this.numbers.set(to, number);
    const key = `${number.accountId} ${from}`;
    this.callers.delete(key); // re-inserted newest last: the oldest go first
    if (this.callers.size >= this.maxCallers) this.callers.delete(this.callers.keys().next().value!);
    this.callers.set(key, contact);
  }

  /** An account's numbers as just read: its numbers that are gone are forgotten. */
  replaceAccount(accountId: string, routes: readonly NumberRoute[]): void {
    for (const [to, route] of this.numbers) if (route.accountId === accountId) this.numbers.delete(to);
    for (const route of routes) this.numbers.set(route.number, route);
  }

  /** Every number as just read. */
  replaceAll(routes: readonly NumberRoute[]): void {
    this.numbers.clear();
    for (const route of routes) this.numbers.set(route.number, route);
  }

  number(to: string): NumberRoute | undefined {
    return this.numbers.get(to);
  }

  contact(accountId: string, from: string): CallerContact | null {
    return this.callers.get(`${accountId} ${from}`) ?? null;
  }
}

/** What each fallback answer is logged with: the call, and what had failed. */
export interface FallbackAnswer {
  callSid: string;
  errorCode: string | null;
  failedAt: string;
}

export interface FallbackDeps {
  urls: CallbackUrls;
  lastKnown: LastKnownRoutes;
  answered: (answer: FallbackAnswer) => void;
}

/**
 * The fallback's answers as warnings: the first of a quiet spell names its call, the rest are
 * counted by what failed (BurstLog) — with the database down, every call comes here.
 */
export function fallbackAnswerLog(warn: (fields: object, message: string) => void, windowMs?: number): BurstLog<FallbackAnswer> {
  return new BurstLog<FallbackAnswer>(warn, {
    first: () => 'a call was answered by the voice fallback',
    key: (answer) => `${answer.failedAt} (${answer.errorCode ?? 'no error code'})`,
    summary: (total, seconds) => `the voice fallback answered ${total} more call(s) in the last ${seconds} s`,
    countsField: 'answered',
  }, windowMs);
}

const FALLBACK_GREETING = 'Sorry, we cannot take your call right now. Please leave a message after the tone and we will call you back.';

/**
 * Twilio's Voice Fallback URL for our numbers: requested when the inbound webhook (or a later
 * document of the call) could not be fetched or ran into an error — the database down, the server
 * refusing under load. It answers WITHOUT the database, so the caller still reaches the front desk:
 * the number's last known routing rings its users; a later document failing, or a number this
 * instance has not routed yet, goes to voicemail. The call's row is written when its status
 * callback comes (statusCallback creates it), with the database back.
 */
export function fallbackCall(deps: FallbackDeps, p: FallbackParams): string {
  const failedAt = p.ErrorUrl ? pathOf(p.ErrorUrl) : webhookPaths.inbound;
  deps.answered({ callSid: p.CallSid, errorCode: p.ErrorCode ?? null, failedAt });
  const number = failedAt === webhookPaths.inbound ? deps.lastKnown.number(p.To) : undefined;
  const caller = { from: p.From, to: p.To };
  if (!number) return voicemailTwiml(deps.urls, caller, FALLBACK_GREETING);
  const decision = whoRings(number, deps.lastKnown.contact(number.accountId, p.From));
  // No row yet: the <Dial>'s callbacks say whose call it is; whisper and call connect (they read the row) are left out.
  switch (decision.kind) {
    case 'blocked':
      return twiml.reject();
    case 'voicemail':
      return voicemailTwiml(deps.urls, caller, FALLBACK_GREETING);
    case 'forward':
      return twiml.dialNumber({ number: decision.to, unseenCall: true, ...dialSettings(deps.urls, number, { unseen: caller }) });
    case 'ring':
      return twiml.ringClients({ identities: decision.userIds, parentCallSid: p.CallSid, ...dialSettings(deps.urls, number, { unseen: { ...caller, rang: rangThatFits(decision.userIds, decision.userIds.length) } }) });
  }
}

/** The fallback's <Dial> ended: a connected call hangs up, the rest go to voicemail (as dialComplete does, without the database). */
export function fallbackDialDone(urls: CallbackUrls, p: DialCompleteParams): string {
  return dialConnected(p) ? twiml.hangUp() : voicemailTwiml(urls, { from: p.From ?? '', to: p.To ?? '' });
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
