// An outgoing message's life: (accepted →) queued → sending → sent → delivered, or undelivered /
// failed as the destination is scripted, with a signed status callback for each status but
// `sending` (retried like every callback). WhatsApp can go on to `read`.
import type { SandboxContext } from '../context';
import type { MessageOutcome, MessageStatus, MessagingState, SmsMessage } from './messaging-state';

const DEFAULT_OUTCOME: MessageOutcome = { status: 'delivered', stepMs: 20 };
const DEFAULT_ERROR: Record<string, number> = { undelivered: 30003, failed: 30008 };

export interface DeliveryFailure {
  errorCode: number;
  errorMessage: string;
}

/** Runs the status steps; resolves with the final status. */
export async function deliver(ctx: SandboxContext, state: MessagingState, m: SmsMessage, preset: DeliveryFailure | null): Promise<MessageStatus> {
  const outcome = state.outcomes.get(m.to) ?? DEFAULT_OUTCOME;
  // A message created `queued` reports it too (after its 201), as one created `accepted` does when queued.
  const steps: MessageStatus[] = ['queued'];
  if (preset || outcome.status === 'failed') steps.push('failed');
  else steps.push('sending', 'sent', ...(outcome.status === 'read' ? (['delivered', 'read'] as const) : [outcome.status]));
  const failure = preset ?? (outcome.status === 'failed' || outcome.status === 'undelivered' ? { errorCode: outcome.errorCode ?? DEFAULT_ERROR[outcome.status]!, errorMessage: '' } : null);
  for (const status of steps) {
    await new Promise((r) => setTimeout(r, outcome.stepMs));
    m.status = status;
    m.dateUpdated = new Date();
    if (status === 'sent') m.dateSent = m.dateUpdated;
    if ((status === 'failed' || status === 'undelivered') && failure) {
      m.errorCode = failure.errorCode;
      m.errorMessage = failure.errorMessage || null;
    }
    ctx.events.emitEvent('message.status', { messageSid: m.sid, status, to: m.to, from: m.from, ...(m.errorCode ? { errorCode: m.errorCode } : {}) });
    if (m.statusCallback && status !== 'sending') await sendStatusCallback(ctx, m);
  }
  return m.status;
}

function sendStatusCallback(ctx: SandboxContext, m: SmsMessage): Promise<unknown> {
  const cb = m.statusCallback!;
  return ctx.webhooks.callback(cb.url, cb.method, {
    AccountSid: m.accountSid,
    ApiVersion: '2010-04-01',
    From: m.from,
    To: m.to,
    MessageSid: m.sid,
    SmsSid: m.sid,
    SmsMessageSid: m.sid,
    MessageStatus: m.status,
    SmsStatus: m.status,
    ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
    ...(m.channel === 'whatsapp' ? { ChannelPrefix: 'whatsapp' } : {}),
    ...(m.errorCode ? { ErrorCode: String(m.errorCode) } : {}),
  });
}
