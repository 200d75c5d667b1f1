/**
 * What the voice harness page (voice-harness-entry.tsx) reports to the Node test after every
 * engine change. Plain types with no DOM or Node: both sides of the harness import them.
 */
export interface HarnessCall {
  id: string;
  direction: string;
  phase: string;
  ending: string | null;
  callSid: string | null;
  from: string;
  to: string;
  hold: string;
}

export interface HarnessSnapshot {
  at: number;
  device: string;
  degradedReason: string | null;
  identity: string | null;
  calls: HarnessCall[];
  lastEnded: HarnessCall | null;
  problem: string | null;
  /** The signaling monitor as the page sees it. */
  lastFrameAt: number | null;
  signalingOpen: boolean;
  socketsSeen: number;
  watchdog: string;
  mode: string;
}
