// Executes TwiML on a call leg, verb by verb, fetching new documents for action/Redirect.
// The leg ends when its document runs out (except for whisper documents).
import type { CallEngine, FallbackSource, TwimlSource } from '../calls/call-engine';
import type { CallLeg } from '../calls/call-leg';
import type { SandboxContext } from '../context';
import { connect } from './connect-verb';
import { dial } from './dial-verb';
import { gather, record } from './input-verbs';
import { pause, play, say } from './media-verbs';
import { parseTwiml, type TwimlNode } from './parse-twiml';
import { methodOf, TwimlSession, type FetchFailure, type FetchResult, type TwimlDocument } from './twiml-session';

const MAX_DOCUMENTS = 50;

export class TwimlRunner {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly engine: CallEngine,
  ) {}

  /** Starts (or replaces) the TwiML of a leg. */
  start(leg: CallLeg, source: TwimlSource): void {
    const signal = leg.replaceTwiml();
    void this.run(new TwimlSession(this.ctx, this.engine, leg, signal, false), source).catch((error: unknown) => {
      this.ctx.events.emitEvent('twiml.crash', { callSid: leg.sid, error: String(error) });
      this.engine.end(leg, 'failed', 'sandbox');
    });
  }

  private async run(s: TwimlSession, source: TwimlSource): Promise<void> {
    // Twilio requests a number's (or app's) fallback URL once per call, on the first document of
    // the main TwiML it cannot fetch or parse; if that fails too, the caller hears the error.
    let fallback = 'url' in source ? source.fallback : undefined;
    let next = 'twiml' in source ? this.inline(source.twiml) : await s.fetch(source.url, source.method);
    for (let documents = 0; documents < MAX_DOCUMENTS && !s.aborted; documents++) {
      if (!next.ok && fallback && !s.whisper) {
        next = await this.fallBack(s, next, fallback);
        fallback = undefined;
        if (s.aborted) break;
      }
      if (!next.ok) return this.applicationError(s, next);
      const followUp = await this.execute(s, next.doc);
      if (s.aborted || !followUp) break;
      next = followUp;
    }
    if (!s.whisper && !s.signal.aborted && !s.leg.isFinal) this.engine.end(s.leg, 'completed', 'sandbox');
  }

  private inline(twiml: string): FetchResult {
    try {
      return { ok: true, doc: { url: null, verbs: parseTwiml(twiml) } };
    } catch (error) {
      return { ok: false, code: 12100, url: null, reason: `invalid TwiML: ${String(error)}` };
    }
  }

  /** The failure is still logged, as on Twilio; the fallback gets its code and URL. */
  private async fallBack(s: TwimlSession, failure: FetchFailure, fallback: FallbackSource): Promise<FetchResult> {
    const errorUrl = failure.url ?? '';
    this.ctx.events.emitEvent('call.error', { callSid: s.leg.sid, code: failure.code, message: failure.reason });
    this.ctx.events.emitEvent('twiml.fallback', { callSid: s.leg.sid, errorCode: failure.code, errorUrl, fallbackUrl: fallback.url });
    return s.fetch(fallback.url, fallback.method, { ErrorCode: String(failure.code), ErrorUrl: errorUrl });
  }

  private applicationError(s: TwimlSession, failure: FetchFailure): void {
    this.ctx.events.emitEvent('call.error', { callSid: s.leg.sid, code: failure.code, message: failure.reason });
    s.leg.party?.startHearing({ kind: 'say', text: 'An application error has occurred. Goodbye.' }).end(true);
    if (!s.whisper) this.engine.end(s.leg, 'failed', 'sandbox');
  }

  /** Runs the verbs of one document; returns the fetch of the next document, if any. */
  private async execute(s: TwimlSession, doc: TwimlDocument): Promise<FetchResult | null> {
    s.docUrl = doc.url;
    for (const verb of doc.verbs) {
      if (s.aborted) return null;
      if (verb.name !== 'Reject' && !s.whisper) await this.engine.answer(s.leg);
      if (s.aborted) return null;
      // Emitted as the verb starts (Gather listens from here on).
      this.ctx.events.emitEvent('twiml.verb', { callSid: s.leg.sid, verb: verb.name });
      const actionOf = (params: Record<string, string>): Promise<FetchResult> =>
        s.fetch(s.resolve(verb.attrs.action ?? doc.url ?? '', doc.url), methodOf(verb.attrs.method), params);
      switch (verb.name) {
        case 'Say':
          await say(s, verb);
          break;
        case 'Play':
          await play(s, verb);
          break;
        case 'Pause':
          await pause(s, verb);
          break;
        case 'Hangup':
          this.engine.end(s.leg, 'completed', 'sandbox');
          return null;
        case 'Reject':
          this.engine.end(s.leg, verb.attrs.reason === 'busy' ? 'busy' : 'no-answer', 'sandbox', {
            code: verb.attrs.reason === 'busy' ? 31486 : 31603,
            message: verb.attrs.reason === 'busy' ? 'Busy Here' : 'Decline',
          });
          return null;
        case 'Redirect':
          return s.fetch(s.resolve(verb.text, doc.url), methodOf(verb.attrs.method));
        case 'Gather': {
          const result = await gather(s, verb, (child, signal) => this.nested(s, child, signal));
          if (result.actionParams && (verb.attrs.action || doc.url)) return actionOf(result.actionParams);
          break;
        }
        case 'Record': {
          const result = await record(s, verb);
          if (result.actionParams && (verb.attrs.action || doc.url)) return actionOf(result.actionParams);
          break;
        }
        case 'Dial': {
          if (s.whisper) break;
          const result = await dial(s, verb, (child, url, method) => this.whisper(child, url, method));
          // Twilio still calls the action after the caller hung up, and ignores the answer.
          if (verb.attrs.action) {
            const followUp = actionOf({ ...result.actionParams, CallStatus: s.leg.status });
            if (s.leg.isFinal) {
              await followUp;
              return null;
            }
            return followUp;
          }
          break;
        }
        case 'Connect': {
          const result = await connect(s, verb);
          // A redirect (REST update) replaced this document: nothing more to do here.
          if (!result || (s.signal.aborted && !s.leg.isFinal)) break;
          // As with Dial, the action is requested even after the caller hung up.
          if (verb.attrs.action) {
            const followUp = actionOf({ ...result.actionParams, CallStatus: s.leg.status });
            if (s.leg.isFinal) {
              await followUp;
              return null;
            }
            return followUp;
          }
          break;
        }
        default:
          this.ctx.events.emitEvent('twiml.unsupported', { callSid: s.leg.sid, verb: verb.name });
      }
    }
    return null;
  }

  private async nested(s: TwimlSession, node: TwimlNode, signal: AbortSignal): Promise<void> {
    const inner = new TwimlSession(this.ctx, this.engine, s.leg, AbortSignal.any([s.signal, signal]), s.whisper);
    inner.docUrl = s.docUrl;
    if (node.name === 'Say') await say(inner, node);
    else if (node.name === 'Play') await play(inner, node);
    else if (node.name === 'Pause') await pause(inner, node);
  }

  private async whisper(child: CallLeg, url: string, method: 'GET' | 'POST'): Promise<void> {
    const s = new TwimlSession(this.ctx, this.engine, child, child.twimlAbort.signal, true);
    await this.run(s, { url, method });
  }
}
