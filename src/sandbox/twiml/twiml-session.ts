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

export type FetchResult = { ok: true; doc: TwimlDocument } | { ok: false; reason: string };

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
    if (!res.ok) return { ok: false, reason: `HTTP ${res.status} from ${url}` };
    try {
      return { ok: true, doc: { url, verbs: parseTwiml(res.body) } };
    } catch (error) {
      return { ok: false, reason: `invalid TwiML from ${url}: ${String(error)}` };
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
