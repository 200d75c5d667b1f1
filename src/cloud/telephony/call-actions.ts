import { setTimeout as delay } from 'node:timers/promises';
import type { Principal, CloudContext } from '../context';
import { write } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { reserveDial } from '../call-policy/service';
import * as twiml from './twiml';
import { CallbackUrls } from './callback-urls';
import { voicemailTwiml } from './voicemail';

const LIVE = new Set(['queued', 'ringing', 'in-progress']);
/** How long a recording action waits for the recording to start (a whisper is a few seconds). */
const RECORDING_START_WAIT_MS = 10_000;
const RECORDING_RETRY_MS = 250;

/** In-call actions the softphone asks for, carried out through Twilio's REST API. */
export function callActions(ctx: CloudContext) {
  const urls = new CallbackUrls(ctx.publicUrl);
  async function liveCall(principal: Principal, callId: string) {
    const rows = await ctx.db.query<{ twilio_call_sid: string | null; other_leg_sid: string | null; direction: string; status: string; user_id: string | null; rang_user_ids: string[] | null }>(
      `SELECT twilio_call_sid, other_leg_sid, direction, status, user_id, rang_user_ids FROM calls WHERE id = $1 AND account_id = $2`,
      [callId, principal.accountId],
    );
    const call = rows[0];
    if (!call) throw notFound('Call');
    if (!call.twilio_call_sid || !LIVE.has(call.status)) throw new ApiError('CALL_NOT_ACTIVE', 'The call is not in progress');
    if (principal.role !== 'admin' && call.user_id !== principal.userId && !(await answeredJustNow(principal, call.twilio_call_sid, call))) {
      throw new ApiError('FORBIDDEN', 'Only the user on the call (or an admin) can do this');
    }
    return { ...call, twilio_call_sid: call.twilio_call_sid };
  }

  /**
   * The softphone acts on a call it answered a moment ago, before Twilio's answer callback reached
   * the cloud (a busy moment): a user the call rang counts as on the call when Twilio says their
   * leg is connected now.
   */
  async function answeredJustNow(principal: Principal, callSid: string, call: { user_id: string | null; rang_user_ids: string[] | null }): Promise<boolean> {
    if (call.user_id !== null || !(call.rang_user_ids ?? []).includes(principal.userId)) return false;
    const connected = await viaTwilio('check who answered the call', () => ctx.twilioRest.connectedClients(callSid));
    return connected.includes(principal.userId);
  }

  /**
   * A call's recording starts when the caller is bridged, after the line's whisper; until then
   * Twilio has no current recording (404). A pause pressed during the whisper waits for it.
   */
  async function onceRecording<T>(run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + RECORDING_START_WAIT_MS;
    for (;;) {
      try {
        return await run();
      } catch (error) {
        if ((error as { status?: number }).status !== 404 || Date.now() >= deadline) throw error;
        await delay(RECORDING_RETRY_MS);
      }
    }
  }

  async function viaTwilio<T>(what: string, run: () => Promise<T>, notFoundMessage = 'Twilio no longer has this call in progress'): Promise<T> {
    try {
      return await run();
    } catch (error) {
      ctx.log.warn({ err: error }, `Twilio REST ${what} failed`);
      const status = (error as { status?: number }).status;
      if (status === 404) throw new ApiError('CALL_NOT_ACTIVE', notFoundMessage);
      throw new ApiError('TWILIO_REQUEST_FAILED', `Twilio could not ${what}: ${(error as Error).message}`);
    }
  }

  return {
    async setRecording(principal: Principal, callId: string, action: 'pause' | 'resume') {
      const call = await liveCall(principal, callId);
      const status = action === 'pause' ? 'paused' : 'in-progress';
      await viaTwilio(
        `${action} the recording`,
        () => onceRecording(() => ctx.twilioRest.setRecordingStatus(call.twilio_call_sid, status)),
        'The recording has not started yet: it starts when the caller is connected, after the line’s whisper. Try again in a moment.',
      );
      return { callId, recording: action === 'pause' ? 'paused' : 'in-progress' };
    },
    /** Cold transfer: the far party (the caller, or the callee of an outbound call) is redirected. */
    async transfer(principal: Principal, callId: string, to: { toUserId: string } | { toNumber: string }) {
      const call = await liveCall(principal, callId);
      let target: string;
      if ('toUserId' in to) {
        const users = await ctx.db.query(`SELECT id FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [to.toUserId, principal.accountId]);
        if (users.length === 0) throw notFound('User');
        target = twiml.dialClient(to.toUserId);
      } else {
        // A transfer out to the phone network is a dial like any other: the call policy decides (toll fraud).
        const decision = await reserveDial(ctx.db, { accountId: principal.accountId, userId: principal.userId, kind: 'transfer', to: to.toNumber });
        if (!decision.ok) throw new ApiError(decision.code, decision.message);
        target = twiml.dialNumber({ number: to.toNumber });
      }
      const legSid = call.direction === 'inbound' ? call.twilio_call_sid : call.other_leg_sid;
      if (!legSid) throw new ApiError('CALL_NOT_ACTIVE', 'The other party has not answered yet');
      await viaTwilio('transfer the call', () => ctx.twilioRest.updateCall(legSid, { twiml: target }));
      if ('toUserId' in to) {
        // A cold transfer hands the call over: from now on it is the colleague's call (reports count
        // it for them and their teams); who passed it on is kept.
        await write(ctx.db, principal.accountId, async (uow) => {
          await uow.q.query(
            `UPDATE calls SET transferred_from_user_id = user_id, user_id = $2, updated_at = now() WHERE id = $1 AND user_id IS DISTINCT FROM $2`,
            [callId, to.toUserId],
          );
          uow.touch('calls', callId);
          await uow.audit(principal.userId, 'call.transfer', 'call', callId, { toUserId: to.toUserId });
        });
      }
      return { callId, transferred: true };
    },
    /**
     * A ringing inbound call goes to the number's voicemail: the caller's leg is redirected, which
     * cancels the <Dial> ringing the softphones. Anyone the call rings (or an admin) may do it.
     */
    async sendToVoicemail(principal: Principal, callId: string) {
      const rows = await ctx.db.query<{ twilio_call_sid: string | null; direction: string; status: string; rang_user_ids: string[] }>(
        `SELECT twilio_call_sid, direction, status, rang_user_ids FROM calls WHERE id = $1 AND account_id = $2`,
        [callId, principal.accountId],
      );
      const call = rows[0];
      if (!call) throw notFound('Call');
      if (principal.role !== 'admin' && !call.rang_user_ids.includes(principal.userId)) {
        throw new ApiError('FORBIDDEN', 'Only someone this call rings (or an admin) can send it to voicemail');
      }
      if (call.direction !== 'inbound' || !call.twilio_call_sid || !['queued', 'ringing'].includes(call.status)) {
        throw new ApiError('CALL_NOT_ACTIVE', 'Only a ringing incoming call can be sent to voicemail');
      }
      const sid = call.twilio_call_sid;
      await viaTwilio('send the call to voicemail', () => ctx.twilioRest.updateCall(sid, { twiml: voicemailTwiml(urls, { callId }) }));
      return { callId, voicemail: true };
    },
    async hangUp(principal: Principal, callId: string) {
      const call = await liveCall(principal, callId);
      await viaTwilio('hang up', () => ctx.twilioRest.updateCall(call.twilio_call_sid, { status: 'completed' }));
      return { callId, hungUp: true };
    },
  };
}
