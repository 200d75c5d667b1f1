// Runs what a scripted phone does once it is on a call: a person's "Hello?", a voicemail's
// greeting + beep + recording window, timed keys and hang-ups, and the step-by-step script
// (say a line, press keys, hang up — timed, or in reply to what it hears). Real milliseconds:
// the callee's side is the world, not Twilio, so timeScale does not apply.
import { speechSource, toneSource } from '../media/audio-source';
import type { PartyBehaviour, ScriptStep } from './behaviour';
import type { ScriptedParty } from './party';

/** How long a voicemail beep lasts. */
export const BEEP_MS = 500;

export interface ScriptHooks {
  /** The party hangs up (ends its leg). */
  hangup(): void;
  /** Milliseconds a line of `text` takes to say. */
  lineMs(text: string): number;
}

/** Where a voicemail box's recording window starts, for reports. */
export interface VoicemailWindow {
  greetingMs: number;
  beep: boolean;
  /** Ms since answer from which the box records. */
  recordsFromMs: number;
}

export function voicemailWindow(b: PartyBehaviour): VoicemailWindow {
  return { greetingMs: b.greetingMs, beep: b.beep, recordsFromMs: b.greetingMs + (b.beep ? BEEP_MS : 0) };
}

/** Starts everything the party does on its own; stops when `ended` settles. */
export function runPartyScript(party: ScriptedParty, b: PartyBehaviour, role: 'caller' | 'callee', hooks: ScriptHooks, ended: Promise<void>): void {
  const timers: NodeJS.Timeout[] = [];
  const stop = new AbortController();
  void ended.then(() => {
    stop.abort();
    timers.forEach(clearTimeout);
  });
  if (b.hangupAfterMs !== undefined) timers.push(setTimeout(() => hooks.hangup(), b.hangupAfterMs));
  if (b.digits) {
    const keys = b.digits;
    timers.push(setTimeout(() => [...keys].forEach((d, i) => timers.push(setTimeout(() => party.press(d), i * 100))), b.digitsAfterMs));
  }
  if (role === 'callee' && b.answer === 'voicemail') {
    void (async () => {
      await party.send(speechSource(), b.greetingMs);
      if (b.beep && !stop.signal.aborted) await party.send(toneSource(1000), BEEP_MS);
    })();
    const window = voicemailWindow(b);
    timers.push(setTimeout(() => hooks.hangup(), window.recordsFromMs + b.voicemailMaxMs));
  } else if (role === 'callee' && b.answer === 'fax') {
    void party.send(toneSource(2100), 60_000);
  } else if (role === 'callee' && b.helloMs > 0) {
    void party.speak('Hello?', b.helloMs);
  }
  if (b.script.length) void runSteps(party, b.script, hooks, stop.signal);
}

async function runSteps(party: ScriptedParty, steps: ScriptStep[], hooks: ScriptHooks, signal: AbortSignal): Promise<void> {
  let mark = { started: party.heardStarted, ended: party.heardEnded };
  for (const step of steps) {
    if (step.waitFor === 'reply') await waitHeard(party, 'heard-end', () => party.heardEnded > mark.ended, signal);
    if (step.waitFor === 'reply-start') await waitHeard(party, 'heard-start', () => party.heardStarted > mark.started, signal);
    if (step.delayMs) await delay(step.delayMs, signal);
    if (signal.aborted) return;
    mark = { started: party.heardStarted, ended: party.heardEnded };
    if (step.say !== undefined) await party.speak(step.say, hooks.lineMs(step.say));
    else if (step.press !== undefined) party.press(step.press);
    else if (step.hangup) return hooks.hangup();
    // What was heard while this line was being said does not answer it: wait for what comes next.
    if (step.say !== undefined) mark = { started: party.heardStarted, ended: party.heardEnded };
  }
}

function waitHeard(party: ScriptedParty, event: 'heard-start' | 'heard-end', done: () => boolean, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (done() || signal.aborted) return resolve();
    const check = (): void => {
      if (!done() && !signal.aborted) return;
      party.off(event, check);
      signal.removeEventListener('abort', check);
      resolve();
    };
    party.on(event, check);
    signal.addEventListener('abort', check, { once: true });
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
