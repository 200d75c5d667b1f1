// The state of running one TwiML document on one leg: where relative URLs resolve, how to
// fetch the next document, and the abort signal that stops it (hangup, REST update, Redirect).
import type { SandboxContext } from '../context';
import type { CallEngine } from '../calls/call-engine';
import type { CallLeg } from '../calls/call-leg';
import { callParams } from '../calls/webhook-params';
import { parseTwiml, type TwimlNode } from './parse-twiml';

export interface TwimlDocument {
  url: string | null;
  verbs: TwimlNode[];
}

/** Twilio's codes for a document it could not get: 11200 HTTP retrieval failure, 12100 document parse failure. */
export type TwimlFailureCode = 11200 | 12100;

/** `url`: where the failure occurred (null for inline TwiML), Twilio's ErrorUrl. */
export type FetchFailure = { ok: false; code: TwimlFailureCode; url: string | null; reason: string };

export type FetchResult = { ok: true; doc: TwimlDocument } | FetchFailure;

export class TwimlSession {
  /** The URL of the document being run, for resolving relative URLs in it. */
  docUrl: string | null = null;

  constructor(
    readonly ctx: SandboxContext,
    readonly engine: CallEngine,
    readonly leg: CallLeg,
    readonly signal: AbortSignal,
    /** Whisper TwiML (Dial url=) runs on the callee and must not end the call at the end. */
    readonly whisper: boolean,
  ) {}

  get aborted(): boolean {
    return this.signal.aborted || this.leg.isFinal;
  }

  resolve(url: string, base: string | null = this.docUrl): string {
    return base ? new URL(url, base).toString() : url;
  }

  async fetch(url: string, method: 'GET' | 'POST', extra: Record<string, string> = {}): Promise<FetchResult> {
    // After a hang-up Twilio still requests action URLs (and ignores the answer): don't abort those.
    const res = await this.ctx.webhooks.send(url, method, { ...callParams(this.leg), ...extra }, this.leg.isFinal ? undefined : this.signal);
    if (!res.ok) return { ok: false, code: 11200, url, reason: `HTTP ${res.status} from ${url}` };
    try {
      return { ok: true, doc: { url, verbs: parseTwiml(res.body) } };
    } catch (error) {
      return { ok: false, code: 12100, url, reason: `invalid TwiML from ${url}: ${String(error)}` };
    }
  }
}

export function methodOf(value: string | undefined, fallback: 'GET' | 'POST' = 'POST'): 'GET' | 'POST' {
  return value?.toUpperCase() === 'GET' ? 'GET' : value?.toUpperCase() === 'POST' ? 'POST' : fallback;
}

export function seconds(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && value !== undefined && value !== '' ? n : fallback;
}
