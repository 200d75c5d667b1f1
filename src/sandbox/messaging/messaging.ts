// The messaging side of the sandbox in one place: REST routes, TwiML replies and the control API
// all send and receive through it, so delivery, callbacks and scripted contacts behave the same
// whichever way a message came in.
import type { SandboxContext } from '../context';
import { deliver } from './delivery';
import { receiveMessage, type InboundInput, type InboundResult } from './inbound';
import { bare, contactScriptSchema, messageOutcomeSchema, MessagingState, type ContactScriptInput, type MessageOutcomeInput, type SmsMessage } from './messaging-state';
import { prepareOutbound, type OutboundInput } from './outbound';

export interface MessageFilter {
  to?: string;
  from?: string;
  direction?: SmsMessage['direction'];
  messagingServiceSid?: string;
}

export class Messaging {
  readonly state = new MessagingState();

  constructor(private readonly ctx: SandboxContext) {}

  /** Validates and records an outgoing message (throws TwilioRestError), then delivers it in the background. */
  send(input: OutboundInput): SmsMessage {
    const { message, deferredFailure } = prepareOutbound(this.ctx, this.state, input);
    this.ctx.events.emitEvent('message.created', {
      messageSid: message.sid,
      from: message.from,
      to: message.to,
      body: message.body,
      direction: message.direction,
      channel: message.channel,
      messagingServiceSid: message.messagingServiceSid,
    });
    deliver(this.ctx, this.state, message, deferredFailure)
      .then((status) => {
        if (status === 'delivered' || status === 'read') this.contactReplies(message);
      })
      .catch((error: unknown) => this.ctx.events.emitEvent('message.warning', { messageSid: message.sid, message: `delivery stopped: ${String(error)}` }));
    return message;
  }

  /** A contact texts a number of the account (see inbound.ts). */
  receive(input: InboundInput): Promise<InboundResult> {
    return receiveMessage(this.ctx, this.state, input, (reply) => this.send(reply));
  }

  /** What happens to messages sent to `to` (an E.164 number, or whatsapp:E.164). */
  setOutcome(to: string, outcome: MessageOutcomeInput): void {
    this.state.outcomes.set(to, messageOutcomeSchema.parse(typeof outcome === 'string' ? { status: outcome } : outcome));
  }

  /** Texts the contact at `number` sends back, one per message it receives. */
  scriptContact(number: string, script: ContactScriptInput): void {
    this.state.contactScripts.set(number, [...contactScriptSchema.parse(script).replies]);
  }

  list(filter: MessageFilter = {}): SmsMessage[] {
    return [...this.state.messages.values()].filter(
      (m) =>
        (!filter.to || m.to === filter.to) &&
        (!filter.from || m.from === filter.from) &&
        (!filter.direction || m.direction === filter.direction) &&
        (!filter.messagingServiceSid || m.messagingServiceSid === filter.messagingServiceSid),
    );
  }

  private contactReplies(delivered: SmsMessage): void {
    const queue = this.state.contactScripts.get(delivered.to);
    const next = queue?.shift();
    if (!next) return;
    setTimeout(() => {
      this.receive({ from: delivered.to, to: delivered.from, body: next.body }).catch((error: unknown) =>
        this.ctx.events.emitEvent('message.warning', { message: `scripted reply from ${bare(delivered.to)} failed: ${String(error)}` }),
      );
    }, next.afterMs).unref();
  }
}
