// Rings the far side of a leg: a Client identity (every registered device of it, first answer
// wins) or a scripted number. Resolves with how the ringing ended; on answer the leg has its party.
import type { SandboxContext } from '../context';
import { MediaFarEnd } from '../media/far-end';
import type { DeviceSession } from '../signaling/device-session';
import type { CallLeg } from './call-leg';
import { partyBehaviourSchema, voiceOf, type PartyBehaviour } from './behaviour';
import { DeviceParty, ScriptedParty } from './party';
import { API_VERSION } from './webhook-params';

export type RingOutcome = 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';

interface InviteAttempt {
  session: DeviceSession;
  farEnd: MediaFarEnd;
  offer: string;
  rejected: boolean;
}

/** Invites waiting on a device's answer/reject, by the CA sid they were sent with. */
export class PendingInvites {
  private readonly byCallSid = new Map<string, { attempts: InviteAttempt[]; settle: (a: InviteAttempt | null, why?: RingOutcome) => void }>();

  answer(session: DeviceSession, callSid: string, sdp: string): boolean {
    const pending = this.byCallSid.get(callSid);
    const attempt = pending?.attempts.find((a) => a.session === session);
    if (!pending || !attempt) return false;
    void attempt.farEnd.acceptAnswer(sdp).then(
      () => pending.settle(attempt),
      () => pending.settle(null, 'failed'),
    );
    return true;
  }

  reject(session: DeviceSession, callSid: string): boolean {
    const pending = this.byCallSid.get(callSid);
    const attempt = pending?.attempts.find((a) => a.session === session);
    if (!pending || !attempt) return false;
    attempt.rejected = true;
    if (pending.attempts.every((a) => a.rejected)) pending.settle(null, 'busy');
    return true;
  }

  sessionGone(session: DeviceSession): void {
    for (const [sid] of this.byCallSid) this.reject(session, sid);
  }

  register(callSid: string, attempts: InviteAttempt[], settle: (a: InviteAttempt | null, why?: RingOutcome) => void): void {
    this.byCallSid.set(callSid, { attempts, settle });
  }

  forget(callSid: string): void {
    this.byCallSid.delete(callSid);
  }
}

export async function ringClient(
  ctx: SandboxContext,
  pending: PendingInvites,
  leg: CallLeg,
  identity: string,
  opts: { timeoutMs: number; signal: AbortSignal; customParams: Record<string, string> },
): Promise<RingOutcome> {
  leg.setStatus('initiated');
  const sessions = ctx.edge.reachable(identity);
  if (sessions.length === 0) {
    ctx.events.emitEvent('call.client-unreachable', { callSid: leg.sid, identity });
    return 'no-answer';
  }
  leg.setStatus('ringing');
  const attempts: InviteAttempt[] = await Promise.all(
    sessions.map(async (session) => {
      const farEnd = new MediaFarEnd(ctx.clock, ctx.connectingMedia);
      const offer = await farEnd.createOffer();
      return { session, farEnd, offer, rejected: false };
    }),
  );
  const winner = await new Promise<{ attempt: InviteAttempt | null; why: RingOutcome }>((resolve) => {
    const timer = setTimeout(() => settle(null, 'no-answer'), opts.timeoutMs);
    const onAbort = (): void => settle(null, 'canceled');
    function settle(attempt: InviteAttempt | null, why: RingOutcome = 'answered'): void {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      pending.forget(leg.sid);
      resolve({ attempt, why: attempt ? 'answered' : why });
    }
    opts.signal.addEventListener('abort', onAbort, { once: true });
    pending.register(leg.sid, attempts, settle);
    const params = new URLSearchParams(opts.customParams).toString();
    for (const a of attempts) {
      a.session.send('invite', {
        callsid: leg.sid,
        sdp: a.offer,
        // Lets the SDK re-attach this call after its signaling socket reconnects.
        reconnect: leg.sid,
        parameters: { CallSid: leg.sid, From: leg.from, To: leg.to, AccountSid: leg.accountSid, ApiVersion: API_VERSION, ...(params ? { Params: params } : {}) },
      });
    }
    if (opts.signal.aborted) onAbort();
  });
  for (const a of attempts) {
    if (a === winner.attempt) continue;
    if (!a.rejected) a.session.send('cancel', { callsid: leg.sid });
    void a.farEnd.close();
  }
  if (!winner.attempt) return winner.why;
  leg.party = new DeviceParty(winner.attempt.session, leg.sid, winner.attempt.farEnd, ctx.events, leg.sid);
  leg.setStatus('in-progress');
  return 'answered';
}

export async function ringNumber(
  ctx: SandboxContext,
  leg: CallLeg,
  behaviour: PartyBehaviour,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<RingOutcome> {
  leg.setStatus('initiated');
  if (behaviour.answer === 'busy') return 'busy';
  if (behaviour.answer === 'fail') return 'failed';
  leg.setStatus('ringing');
  const waitMs = behaviour.answer === 'never' ? Number.POSITIVE_INFINITY : behaviour.answerAfterMs;
  const outcome = await new Promise<RingOutcome>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (o: RingOutcome): void => {
      timers.forEach(clearTimeout);
      opts.signal.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onAbort = (): void => finish('canceled');
    opts.signal.addEventListener('abort', onAbort, { once: true });
    if (opts.signal.aborted) return finish('canceled');
    timers.push(setTimeout(() => finish('no-answer'), opts.timeoutMs));
    if (Number.isFinite(waitMs)) timers.push(setTimeout(() => finish(waitMs < opts.timeoutMs ? 'answered' : 'no-answer'), Math.min(waitMs, opts.timeoutMs)));
  });
  if (outcome !== 'answered') return outcome;
  const party = new ScriptedParty(leg.to, voiceOf(behaviour), ctx.clock);
  party.talking = true;
  leg.party = party;
  leg.setStatus('in-progress');
  return 'answered';
}

export const defaultBehaviour = (): PartyBehaviour => partyBehaviourSchema.parse({});
