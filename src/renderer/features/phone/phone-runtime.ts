import type { SoftphoneBridge } from '../../../shared/ipc';
import { useEffect } from 'react';
import { getBridge } from '../../bridge';
import { afterPresented } from '../../lib/after-paint';
import { formatPhone } from '../../lib/phone';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { isSignedIn, useSession } from '../../state/session';
import { prepareVoice, startVoice, useVoiceStore, type CallState, type PrefetchedVoice, type VoiceEngine } from '../../voice';
import { usePhone } from './phone-store';

let running: { engine: VoiceEngine; refreshReport(): void; stop(): void; offs: Array<() => void> } | null = null;

export const phoneEngine = (): VoiceEngine | null => running?.engine ?? null;

/** The cloud's id for a softphone call: the cloud passes it as a custom parameter on incoming calls. */
export const cloudCallId = (call: CallState): string | null => call.customParameters.callId ?? null;

/**
 * The SID a call's wrap-up is kept under: the call's own, unless the cloud rang it without a row
 * (its voice fallback) — then the caller's CallSid, which the cloud files the call under once its
 * status callback comes, so the disposition finds its call when it syncs.
 */
export const wrapUpSid = (call: CallState, callSid: string): string =>
  (cloudCallId(call) ? null : call.customParameters.parentCallSid) ?? callSid;

/** A workflow's Call action ringing this softphone: whom it is about and the whisper (custom parameters from the cloud). */
export interface WorkflowCall {
  contactName: string | null;
  contactPhone: string | null;
  whisper: string | null;
}
export const workflowCallOf = (call: CallState): WorkflowCall | null => {
  const p = call.customParameters;
  if (call.direction !== 'incoming' || p.source !== 'workflow') return null;
  return { contactName: p.contactName || null, contactPhone: p.contactPhone || null, whisper: p.whisper || null };
};

/** Tells main about a cloud action on a call, in the receptionist's words when it fails. */
export async function callAction(bridge: SoftphoneBridge, call: CallState, action: Parameters<SoftphoneBridge['calls']['action']>[0]): Promise<void> {
  const result = await bridge.calls.action(action);
  if (!result.ok) {
    usePhone.getState().say('error', result.error.message);
    throw new Error(result.error.message);
  }
  void call;
}

const nameFor = (call: CallState): string | null => {
  const number = call.direction === 'incoming' ? call.from : call.to;
  return usePhone.getState().lookups[number]?.contact?.name ?? null;
};

/** What a screen pop shows comes from these cached entities (the contact, its assigned user, the last call). */
const SCREEN_POP_ENTITIES = new Set(['calls', 'contacts', 'users']);

/** Loads main's wrap-up state (crash-proof; main pushes each change after this). */
async function loadWrapUps(bridge: SoftphoneBridge): Promise<void> {
  const result = await bridge.wrapups.getState();
  if (result.ok) usePhone.getState().setWrapUps(result.value);
}

/** Main logged or skipped a wrap-up: the engine lets the call go. */
function finishEngineCall(twilioCallSid: string): void {
  const call = useVoiceStore.getState().calls.find((c) => c.callSid && wrapUpSid(c, c.callSid) === twilioCallSid && c.phase.name === 'wrap-up');
  if (call) running?.engine.finishWrapUp(call.id);
}

/** The call's location: from the cloud's screen pop (inbound) or the caller-ID number (outbound). */
export function callLocation(call: CallState): string | null {
  const id = cloudCallId(call);
  const pop = id ? usePhone.getState().incoming[id] : undefined;
  if (pop) return pop.locationId;
  const from = call.direction === 'outgoing' ? call.from : call.to;
  return usePractice.getState().directory?.phoneNumbers.find((n) => n.number === from)?.locationId ?? null;
}

/**
 * Starts the phone for the signed-in receptionist: the VoiceEngine, screen pops from the cloud,
 * local-cache lookups for callers, and wrap-ups recorded in main as soon as a call ends.
 */
export function startPhone(bridge: SoftphoneBridge, prefetched?: PrefetchedVoice | null): void {
  if (running) return;
  const voice = startVoice(bridge, {
    prefetched,
    actions: {
      sendToVoicemail: (call) => callAction(bridge, call, { ...(cloudCallId(call) ? { callId: cloudCallId(call)! } : { callSid: call.callSid! }), action: 'voicemail' }),
    },
    // A global hotkey or tray item the phone refused: shown as a click's refusal is (main notifies a hidden window).
    onCommandRefused: (refusal) => usePhone.getState().say('error', refusal.message),
  });

  // By CallSid: main keeps one wrap-up per Twilio call, however the engine tracked it.
  const startedWrapUps = new Set<string>();
  // The calls ringing now, by id: the number their screen pop is for, and whether it was looked up yet.
  const ringing = new Map<string, { number: string; lookedUp: boolean }>();
  const lookUp = (number: string) =>
    void bridge.contacts.lookup({ number }).then((r) => {
      if (r.ok) usePhone.getState().setLookup(number, r.value);
    });
  const onCalls = (calls: readonly CallState[]) => {
    for (const call of calls) {
      const number = call.direction === 'incoming' ? call.from : call.to;
      if (call.phase.name === 'ringing' && !ringing.has(call.id)) {
        // Looked up afresh for every call: the caller's last call may have been logged since. Asked
        // once the ringing panel is on screen: its answer must not re-render the screen before the
        // first paint (the screen pop fills in a frame or two later).
        const ring = { number, lookedUp: false };
        ringing.set(call.id, ring);
        afterPresented(() => {
          ring.lookedUp = true;
          lookUp(number);
        });
      }
      if (ringing.has(call.id) && call.phase.name !== 'ringing') {
        ringing.delete(call.id);
        // Answered (by click, key, hotkey or tray), from whatever screen: the call is on the Phone tab.
        // At once, even from an editor with unsaved edits (they stay in its store; no warning in the way of the call).
        if (call.phase.name === 'connecting' || call.phase.name === 'open') useNavigation.getState().showPhone();
      }
      if (call.phase.name === 'wrap-up' && call.callSid && !startedWrapUps.has(call.callSid)) {
        startedWrapUps.add(call.callSid);
        const start = { twilioCallSid: wrapUpSid(call, call.callSid), callId: cloudCallId(call), endedAt: new Date(call.phase.endedAt).toISOString(), locationId: callLocation(call) };
        const phone = usePhone.getState();
        phone.beginWrapUp({ ...start, dispositionId: null, note: null, state: 'pending', updatedAt: Date.now() });
        void bridge.wrapups.start(start).then(
          (r) => {
            if (r.ok) phone.setWrapUps(r.value);
            else phone.say('error', `This call's wrap-up could not be kept: ${r.error.message}`);
            phone.settleWrapUp(start.twilioCallSid);
          },
          () => phone.settleWrapUp(start.twilioCallSid),
        );
      }
    }
  };
  const offStore = useVoiceStore.subscribe((state, previous) => {
    if (state.calls !== previous.calls) onCalls(state.calls);
  });
  // Main refuses a wrap-up choice outside the location the receptionist works in.
  const sendLocation = (locationId: string | null) => void bridge.wrapups.setLocation({ locationId });
  const offLocation = usePhone.subscribe((state, previous) => {
    if (state.selectedLocationId !== previous.selectedLocationId) sendLocation(state.selectedLocationId);
  });
  sendLocation(usePhone.getState().selectedLocationId);

  const offs = [
    offStore,
    offLocation,
    bridge.on('call.incoming', (call) => usePhone.getState().addIncoming(call)),
    bridge.on('wrapups.changed', (state) => usePhone.getState().setWrapUps(state)),
    // The cache learned more while a call rings: e.g. the caller's previous call, just logged, has
    // come in from the cloud and its disposition been committed. Its screen pop is looked up again.
    bridge.on('cache.changed', ({ entities }) => {
      if (!entities.some((entity) => SCREEN_POP_ENTITIES.has(entity))) return;
      for (const ring of ringing.values()) if (ring.lookedUp) lookUp(ring.number);
    }),
    bridge.on('wrapups.resolved', ({ twilioCallSid, outcome, dispositionLabel }) => {
      finishEngineCall(twilioCallSid);
      if (outcome === 'logged') usePhone.getState().say('info', `Logged “${dispositionLabel ?? 'disposition'}”.`, twilioCallSid);
    }),
  ];
  running = { ...voice, offs };
  void loadWrapUps(bridge);
}

export function stopPhone(): void {
  if (!running) return;
  for (const off of running.offs) off();
  running.stop();
  running = null;
  // Nothing of this receptionist's calls stays for whoever signs in next.
  usePhone.getState().reset();
}

export const describeCaller = (call: CallState): string => {
  const workflow = workflowCallOf(call);
  if (workflow) return `Workflow call: ${workflow.contactName ?? (workflow.contactPhone ? formatPhone(workflow.contactPhone) : 'a contact')}`;
  const number = call.direction === 'incoming' ? call.from : call.to;
  return nameFor(call) ?? (number.startsWith('client:') ? number.slice(7) : formatPhone(number));
};

/**
 * How long the rest of the window waits for the phone at most (connectShell), counted from main's
 * first answer: a token slow to come (a slow or unreachable cloud) or a slow registration never
 * holds the window up for longer.
 */
export const PHONE_FIRST_MS = 400;

/** Settles when `promise` does (it must not reject), or after `ms`, whichever is first. */
function orAfter(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves once the phone's registration has settled (registered, degraded or offline), or after `maxMs`. */
function registrationSettled(maxMs: number): Promise<void> {
  const settled = (status: string) => status !== 'registering' && status !== 'unregistered';
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = useVoiceStore.subscribe((state) => {
      if (settled(state.device.status)) done();
    });
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    if (settled(useVoiceStore.getState().device.status)) done();
    else timer = setTimeout(done, maxMs);
  });
}

/**
 * Starts the phone as early as the window can, and stops it at sign-out (issue #21):
 * - The phone's config and token are asked of main before anything else, so their answers come
 *   first; a token means someone is signed in, and the phone starts on it at once. Had it waited
 *   for the session state, its answers would have queued behind the signed-in screen's first
 *   render (which that state sets off, ~150–350 ms of script), and "Ready for calls" with them.
 * - Otherwise it starts the moment the session store says someone is signed in (a sign-in later),
 *   never from a React effect, which runs only after the screen rendered.
 * - While those answers are awaited, the SDK's AudioContext is made (`prepareVoice`, ~0.1 s of
 *   this thread that the first Device would otherwise spend after the token).
 * - Once main has said who is signed in, the session store rules: signed out stops the phone.
 * Returns `off` (which also stops the phone) and `firstRegistration`: settles once a phone started
 * on that first token has registered (or failed to), or `PHONE_FIRST_MS` after main's first answer
 * (the config's, given at once), whichever comes first; when no one is signed in, with the token's answer.
 */
export function connectPhone(
  bridge: SoftphoneBridge = getBridge(),
  phone: { start: typeof startPhone; stop: typeof stopPhone; prepare?: () => void } = { start: startPhone, stop: stopPhone, prepare: prepareVoice },
  settledWithin = registrationSettled,
): { off(): void; firstRegistration: Promise<void> } {
  let on = false;
  let connected = true;
  const follow = (signedIn: boolean, prefetched?: PrefetchedVoice) => {
    if (signedIn === on) return;
    on = signedIn;
    if (signedIn) phone.start(bridge, prefetched);
    else phone.stop();
  };
  const configAnswer = bridge.voice.getConfig();
  const tokenAnswer = bridge.voice.getToken();
  const registered = Promise.all([configAnswer, tokenAnswer]).then(
    ([config, token]) => {
      // No token: no one is signed in. The session state arrived first: it has said whether to start.
      if (!connected || !config.ok || !token.ok || !token.value || useSession.getState().session !== null) return;
      follow(true, { config: config.value, token: token.value });
      return settledWithin(PHONE_FIRST_MS);
    },
    () => undefined, // no bridge: the session state (or its error) decides
  );
  const firstRegistration = configAnswer.then(
    () => orAfter(registered, PHONE_FIRST_MS),
    () => undefined,
  );
  try {
    phone.prepare?.();
  } catch (error) {
    console.warn('[voice] Could not prepare the phone ahead of its token', error);
  }
  if (isSignedIn(useSession.getState())) follow(true);
  const off = useSession.subscribe((state) => {
    if (state.session !== null) follow(isSignedIn(state));
  });
  return {
    off: () => {
      connected = false;
      off();
      if (on) phone.stop();
      on = false;
    },
    firstRegistration,
  };
}

/** Picks the signed-in receptionist's first location for the phone when none is chosen. */
export function usePhoneLocation(): void {
  const session = useSession((s) => s.session);
  const locationIds = session?.status === 'signed-in' ? session.user.locationIds : null;
  useEffect(() => {
    if (locationIds && usePhone.getState().selectedLocationId === null) usePhone.getState().selectLocation(locationIds[0] ?? null);
  }, [locationIds]);
}
