// <Connect>: with a <ConversationRelay> noun, hands the call to an AI application over a
// WebSocket (relay/) until it ends; the result goes to the verb's `action` as Twilio reports it.
import { relaySessionsOf } from '../relay/relay-registry';
import { inputKinds } from '../relay/relay-messages';
import { RelaySession, type RelayConfig } from '../relay/relay-session';
import type { TwimlNode } from './parse-twiml';
import type { TwimlSession } from './twiml-session';

export interface ConnectResult {
  actionParams: Record<string, string>;
}

export function relayConfigOf(noun: TwimlNode): RelayConfig {
  const a = noun.attrs;
  const language = a.language ?? 'en-US';
  const customParameters: Record<string, string> = {};
  for (const p of noun.children) if (p.name === 'Parameter' && p.attrs.name) customParameters[p.attrs.name] = p.attrs.value ?? '';
  return {
    url: a.url ?? '',
    welcomeGreeting: a.welcomeGreeting ?? null,
    welcomeGreetingInterruptible: inputKinds(a.welcomeGreetingInterruptible, 'any'),
    interruptible: inputKinds(a.interruptible, 'any'),
    reportInputDuringAgentSpeech: inputKinds(a.reportInputDuringAgentSpeech, 'none'),
    preemptible: a.preemptible === 'true',
    dtmfDetection: a.dtmfDetection === 'true',
    partialPrompts: a.partialPrompts === 'true',
    ttsLanguage: a.ttsLanguage ?? language,
    transcriptionLanguage: a.transcriptionLanguage ?? language,
    voice: a.voice ?? null,
    customParameters,
    attributes: { ...a },
  };
}

/** Runs the <Connect>; null when it holds nothing the sandbox emulates (reported, then skipped). */
export async function connect(s: TwimlSession, node: TwimlNode): Promise<ConnectResult | null> {
  const noun = node.children.find((c) => c.name === 'ConversationRelay');
  if (!noun) {
    s.ctx.events.emitEvent('twiml.unsupported', { callSid: s.leg.sid, verb: `Connect/${node.children[0]?.name ?? 'empty'}` });
    return null;
  }
  const session = new RelaySession(s.ctx, s.leg, relayConfigOf(noun));
  relaySessionsOf(s.ctx).push(session);
  const result = await session.run(s.signal);
  return {
    actionParams: {
      SessionId: session.sessionId,
      SessionStatus: result.status === 'redirected' ? 'ended' : result.status,
      SessionDuration: String(result.durationSeconds),
      ...(result.handoffData !== null ? { HandoffData: result.handoffData } : {}),
      ...(result.error ? { ErrorCode: String(result.error.code), ErrorMessage: result.error.message } : {}),
    },
  };
}
