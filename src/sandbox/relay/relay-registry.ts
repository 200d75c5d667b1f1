// Every ConversationRelay session of a running sandbox, so tests can read transcripts and what
// was exchanged on the socket.
import type { RelaySession, TranscriptEntry } from './relay-session';
import type { SetupMessage, TwilioMessage } from './relay-messages';

export interface RelayReport {
  sessionId: string;
  callSid: string;
  url: string;
  status: RelaySession['status'];
  setup: SetupMessage | null;
  customParameters: Record<string, string>;
  attributes: Record<string, string>;
  transcript: TranscriptEntry[];
  /** Messages the sandbox sent to the application, and what it received (raw JSON). */
  sent: TwilioMessage[];
  received: unknown[];
  handoffData: string | null;
  ttsLanguage: string;
  transcriptionLanguage: string;
  error: { code: number; message: string } | null;
}

const registries = new WeakMap<object, RelaySession[]>();

export function relaySessionsOf(owner: object): RelaySession[] {
  let list = registries.get(owner);
  if (!list) registries.set(owner, (list = []));
  return list;
}

export function relayReport(s: RelaySession): RelayReport {
  return {
    sessionId: s.sessionId,
    callSid: s.leg.sid,
    url: s.config.url,
    status: s.status,
    setup: s.setup,
    customParameters: { ...s.config.customParameters },
    attributes: { ...s.config.attributes },
    transcript: s.transcript.map((e) => ({ ...e })),
    sent: [...s.sent],
    received: [...s.received],
    handoffData: s.handoffData,
    ttsLanguage: s.ttsLanguage,
    transcriptionLanguage: s.transcriptionLanguage,
    error: s.error,
  };
}
