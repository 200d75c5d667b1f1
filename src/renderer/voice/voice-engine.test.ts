import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallState } from './call-machine';
import { FakeBridge, FakeNetwork } from './testing/fake-bridge';
import { FakeSignaling } from './testing/fake-signaling';
import { fakeDeviceFactory, type FakeCall, type FakeDevice } from './testing/fake-sdk';
import { settle } from './testing/deferred';
import { ManualClock } from '../../shared/testing/manual-clock';
import { FakeHoldAudio } from './testing/fake-hold-audio';
import { VoiceEngine, VoiceError, type CallActions, type VoiceEngineState } from './voice-engine';
import { ANSWER_WINDOW_MAX_MS } from './answer-window';
import type { MicrophoneWarmer } from './warm-microphone';
import { createSignalingMonitor } from './signaling-monitor';
import { FakeWebSocket, inviteFrame, ManualHold } from './testing/fake-websocket';

/** Resolves when the engine's state satisfies `predicate` (checked now and after every change). */
function until(engine: VoiceEngine, predicate: (s: VoiceEngineState) => boolean): Promise<VoiceEngineState> {
  return new Promise((resolve) => {
    if (predicate(engine.getState())) return resolve(engine.getState());
    const off = engine.subscribe((s) => {
      if (predicate(s)) {
        off();
        resolve(s);
      }
    });
  });
}

const registered = (s: VoiceEngineState) => s.device.status === 'registered';
const callById = (engine: VoiceEngine, id: string): CallState | undefined =>
  engine.getState().calls.find((c) => c.id === id) ?? (engine.getState().lastEnded?.id === id ? engine.getState().lastEnded! : undefined);

interface Rig {
  clock: ManualClock;
  bridge: FakeBridge;
  network: FakeNetwork;
  factory: ReturnType<typeof fakeDeviceFactory>;
  engine: VoiceEngine;
  device(): FakeDevice;
  logs: string[];
  signaling: FakeSignaling | null;
  holdAudio: FakeHoldAudio | null;
}

/** Records what the engine asks of the ringing-time microphone. */
class FakeMicrophone implements MicrophoneWarmer {
  open = false;
  warms = 0;
  warm(): void {
    if (!this.open) this.warms++;
    this.open = true;
  }
  release(): void {
    this.open = false;
  }
  readonly asked: MediaStreamConstraints[] = [];
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    this.asked.push(constraints);
    return Promise.resolve({} as MediaStream);
  }
}

function rig(actions?: CallActions, withSignaling = false, holdAudio: FakeHoldAudio | null = null, microphone: FakeMicrophone | null = null): Rig {
  const clock = new ManualClock();
  const bridge = new FakeBridge(() => clock.now());
  const network = new FakeNetwork();
  const signaling = withSignaling ? new FakeSignaling(() => clock.now()) : null;
  const factory = fakeDeviceFactory(signaling);
  const logs: string[] = [];
  let n = 0;
  const engine = new VoiceEngine({
    bridge,
    createDevice: factory.create,
    clock,
    network,
    newId: () => `call-${++n}`,
    log: (m) => logs.push(m),
    signaling,
    ...(actions ? { actions } : {}),
    holdAudio,
    microphone,
  });
  return { clock, bridge, network, factory, engine, logs, signaling, holdAudio, device: () => factory.devices.at(-1)! };
}

let r: Rig;

async function startRegistered(actions?: CallActions, withSignaling = false, holdAudio: FakeHoldAudio | null = null, microphone: FakeMicrophone | null = null): Promise<Rig> {
  r = rig(actions, withSignaling, holdAudio, microphone);
  r.engine.start();
  await until(r.engine, registered);
  await settle(); // let register() resolve: the watchdog is watching again
  return r;
}

async function ringing(from = '+13105550100', custom: Record<string, string> = { callId: 'call_abc' }): Promise<{ id: string; call: FakeCall }> {
  const call = r.device().invite({ CallSid: `CA${r.device().calls.length + 1}`, From: from, To: 'client:user_reception' }, custom);
  const s = await until(r.engine, (st) => st.calls.some((c) => c.callSid === call.parameters.CallSid));
  return { id: s.calls.find((c) => c.callSid === call.parameters.CallSid)!.id, call };
}

async function answered(): Promise<{ id: string; call: FakeCall }> {
  const { id, call } = await ringing();
  r.engine.accept(id);
  call.edgeAnswer();
  await until(r.engine, () => callById(r.engine, id)?.phase.name === 'open');
  return { id, call };
}

afterEach(() => r?.engine.stop());

describe('VoiceEngine: the Device', () => {
  it('creates the Device with local sounds and the sandbox edge, and registers', async () => {
    await startRegistered();
    const options = r.device().options;
    expect(options).toMatchObject({
      chunderw: '127.0.0.1:4443',
      publishEvents: false,
      closeProtection: false,
      allowIncomingWhileBusy: true,
      codecPreferences: ['opus', 'pcmu'],
    });
    expect('eventgw' in options).toBe(false);
    expect(options.sounds.incoming).toBe('/sounds/incoming.wav');
    expect(options.sounds.dtmfh).toBe('/sounds/dtmfh.wav');
    expect(r.device().token).toBe('jwt-1');
    expect(r.engine.getState().identity).toBe('user_reception');
  });

  it('passes no chunderw/eventgw for real Twilio', async () => {
    r = rig();
    r.bridge.config = { edge: 'twilio', chunderw: null, eventgw: null };
    r.engine.start();
    await until(r.engine, registered);
    expect(Object.keys(r.device().options)).not.toContain('chunderw');
    expect(Object.keys(r.device().options)).not.toContain('eventgw');
  });

  it('hands every refreshed token from main to device.updateToken', async () => {
    await startRegistered();
    r.bridge.emit('voice.token', r.bridge.nextToken());
    r.bridge.emit('voice.token', r.bridge.nextToken());
    expect(r.device().tokens).toEqual(['jwt-2', 'jwt-3']);
  });

  it('asks main for a token on tokenWillExpire and on a token error from the edge', async () => {
    await startRegistered();
    const before = r.bridge.tokenRequests;
    r.device().emit('tokenWillExpire', r.device());
    await settle();
    r.bridge.tokenResult = { ok: true, value: r.bridge.nextToken() };
    r.device().deviceError({ code: 31205, message: 'JWT token expired' });
    await settle();
    expect(r.bridge.tokenRequests).toBe(before + 2);
    expect(r.device().tokens.length).toBe(2);
  });

  it('goes offline (token) without a token, and registers when main pushes one', async () => {
    r = rig();
    r.bridge.tokenResult = { ok: true, value: null };
    r.engine.start();
    const offline = await until(r.engine, (s) => s.device.status === 'offline');
    expect(offline.device).toMatchObject({ status: 'offline', reason: 'token' });
    expect(r.factory.devices).toHaveLength(0);
    r.bridge.emit('voice.token', r.bridge.nextToken());
    await until(r.engine, registered);
    expect(r.factory.devices).toHaveLength(1);
  });

  it('goes offline when the network goes, refuses to dial, and re-checks when it is back', async () => {
    await startRegistered();
    r.network.goOffline();
    expect(r.engine.getState().device).toMatchObject({ status: 'offline', reason: 'network' });
    await expect(r.engine.connect({ to: '+13105550111', callerId: '+13105550100' })).rejects.toMatchObject({ code: 'offline' });
    expect(r.device().connects).toHaveLength(0);
    r.network.goOnline();
    await until(r.engine, registered);
    expect(r.device().unregisterCalls).toBe(1); // the probe's round trip
  });
});

describe('VoiceEngine: the watchdog, blind (no signaling monitor)', () => {
  it('a wake probes with a re-register round trip and stays on the same Device', async () => {
    await startRegistered();
    const states: string[] = [];
    r.engine.subscribe((s) => states.push(s.device.status));
    r.bridge.emit('phone.wake', { reason: 'resume' });
    await until(r.engine, registered);
    expect(states[0]).toBe('degraded');
    expect(r.factory.devices).toHaveLength(1);
    expect([r.device().unregisterCalls, r.device().registerCalls]).toEqual([1, 2]);
  });

  it('a wake on a dead socket repairs by recreating the Device within 10 s', async () => {
    await startRegistered();
    const dead = r.device();
    dead.edge = 'silent';
    const woke = r.clock.now();
    r.bridge.emit('phone.wake', { reason: 'unlock' });
    await settle();
    r.clock.advance(4_000); // the probe times out
    await until(r.engine, registered);
    expect(dead.destroyed).toBe(true);
    expect(r.factory.devices).toHaveLength(2);
    expect(r.clock.now() - woke).toBeLessThanOrEqual(10_000);
  });

  it('probes a registration with no sign of life for ten minutes while idle, not sooner', async () => {
    await startRegistered();
    r.clock.advance(599_999);
    expect(r.device().unregisterCalls).toBe(0);
    r.clock.advance(1);
    await until(r.engine, registered);
    expect(r.device().unregisterCalls).toBe(1);
  });

  it('repairs when the SDK loses the registration and does not get it back', async () => {
    await startRegistered();
    r.device().loseRegistration();
    expect(r.engine.getState().device).toMatchObject({ status: 'degraded', reason: 'registration-lost' });
    r.clock.advance(3_000);
    await until(r.engine, registered);
    expect(r.factory.devices).toHaveLength(2);
  });

  it('never repairs during a call; ends a dead call on wake and then repairs', async () => {
    await startRegistered();
    const { id, call } = await answered();
    r.device().edge = 'silent';
    r.device().loseRegistration();
    r.clock.advance(120_000);
    expect(r.factory.devices).toHaveLength(1);
    expect(callById(r.engine, id)?.phase.name).toBe('open');
    call.dieSilently();
    r.bridge.emit('phone.wake', { reason: 'resume' });
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'wrap-up', ending: { kind: 'failed' } });
    await until(r.engine, registered);
    expect(r.factory.devices).toHaveLength(2);
  });

  it('retries a failing repair and reports the problem', async () => {
    await startRegistered();
    r.factory.edge = 'refuse';
    r.device().loseRegistration();
    r.clock.advance(3_000);
    const failed = await until(r.engine, (s) => s.device.status === 'offline');
    expect(failed.problem).toMatch(/retrying in 2 s/);
    r.factory.edge = 'answer';
    r.clock.advance(2_000);
    await until(r.engine, registered);
    expect(r.engine.getState().problem).toBeNull();
  });
});

describe('VoiceEngine: the watchdog, by heartbeat age', () => {
  /** The edge's heartbeat for `ms`: a frame every 5 s. */
  const heartbeats = (ms: number) => {
    for (let elapsed = 0; elapsed < ms; elapsed += 5_000) {
      r.clock.advance(Math.min(5_000, ms - elapsed));
      r.signaling!.frame();
    }
  };

  it('an idle registered Device with a steady heartbeat is never unregistered, not even for a moment', async () => {
    await startRegistered(undefined, true);
    const states: string[] = [];
    r.engine.subscribe((s) => states.push(s.device.status));
    heartbeats(3_600_000);
    await settle();
    expect(r.device().unregisterCalls).toBe(0);
    expect(r.device().registerCalls).toBe(1);
    expect(r.factory.devices).toHaveLength(1);
    expect(states).toEqual([]);
    expect(r.engine.health).toMatchObject({ watchdog: 'watching', mode: 'heartbeat', heartbeatAgeMs: 0 });
  });

  it('heartbeats stop → degraded after 8 s → a new Device registered within 10 s of the last frame', async () => {
    await startRegistered(undefined, true);
    heartbeats(30_000);
    const stale = r.device();
    const lastFrame = r.clock.now();
    r.clock.advance(7_999);
    expect(r.engine.getState().device.status).toBe('registered');
    r.clock.advance(1);
    expect(r.engine.getState().device).toMatchObject({ status: 'degraded', reason: 'stale' });
    await until(r.engine, registered);
    expect(stale.destroyed).toBe(true);
    expect(stale.unregisterCalls).toBe(0);
    expect(r.factory.devices).toHaveLength(2);
    expect(r.clock.now() - lastFrame).toBeLessThanOrEqual(10_000);
    expect(r.engine.health.heartbeatAgeMs).toBe(0);
  });

  it('a wake with a live heartbeat keeps the Device; a wake on a quiet socket repairs at once', async () => {
    await startRegistered(undefined, true);
    heartbeats(10_000);
    r.bridge.emit('phone.wake', { reason: 'unlock' });
    await settle();
    expect(r.factory.devices).toHaveLength(1);
    expect(r.device().unregisterCalls).toBe(0);
    r.signaling!.close(); // the socket died in the sleep
    r.bridge.emit('phone.wake', { reason: 'resume' });
    expect(r.engine.getState().device).toMatchObject({ status: 'degraded', reason: 'wake' });
    await until(r.engine, registered);
    expect(r.factory.devices).toHaveLength(2);
  });

  it('network back with the heartbeat intact: registered again without touching the Device', async () => {
    await startRegistered(undefined, true);
    r.network.goOffline();
    expect(r.engine.getState().device).toMatchObject({ status: 'offline', reason: 'network' });
    heartbeats(5_000);
    r.network.goOnline();
    expect(r.engine.getState().device.status).toBe('registered');
    expect(r.factory.devices).toHaveLength(1);
    expect(r.device().unregisterCalls).toBe(0);
  });

  it('never repairs during a call while the heartbeat is quiet; repairs once the call ends', async () => {
    await startRegistered(undefined, true);
    const { id, call } = await answered();
    r.clock.advance(60_000);
    expect(r.factory.devices).toHaveLength(1);
    expect(callById(r.engine, id)?.phase.name).toBe('open');
    call.edgeHangup();
    await until(r.engine, registered);
    await until(r.engine, () => r.factory.devices.length === 2);
    expect(callById(r.engine, id)?.phase.name).toBe('wrap-up');
  });

  it('a call the SDK already closed does not block the repair: it is ended as failed first', async () => {
    await startRegistered(undefined, true);
    const { id, call } = await answered();
    call.dieSilently();
    r.clock.advance(8_000);
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'wrap-up', ending: { kind: 'failed' } });
    await until(r.engine, () => r.factory.devices.length === 2);
    await until(r.engine, registered);
  });
});

describe('VoiceEngine: incoming calls', () => {
  beforeEach(async () => {
    await startRegistered();
  });

  it('shows a ringing call with its sid, parties and custom parameters', async () => {
    const { id } = await ringing('+13105550100', { callId: 'call_abc', contactName: 'Ada Lovelace' });
    expect(callById(r.engine, id)).toMatchObject({
      direction: 'incoming',
      from: '+13105550100',
      to: 'client:user_reception',
      callSid: 'CA1',
      customParameters: { callId: 'call_abc', contactName: 'Ada Lovelace' },
      phase: { name: 'ringing' },
    });
  });

  it('accept → connecting → open → remote hangup → wrap-up → done', async () => {
    const { id, call } = await ringing();
    r.engine.accept(id);
    expect(call.acceptCalls).toBe(1);
    expect(callById(r.engine, id)?.phase.name).toBe('connecting');
    call.edgeAnswer();
    expect(callById(r.engine, id)?.phase.name).toBe('open');
    call.edgeHangup();
    await until(r.engine, () => callById(r.engine, id)?.phase.name === 'wrap-up');
    expect(callById(r.engine, id)?.phase).toMatchObject({ ending: { kind: 'remote-hangup' } });
    r.engine.finishWrapUp(id);
    expect(r.engine.getState().calls).toHaveLength(0);
    expect(r.engine.getState().lastEnded).toMatchObject({ id, phase: { name: 'done', ending: { kind: 'remote-hangup' } } });
  });

  it('reject', async () => {
    const { id } = await ringing();
    r.engine.reject(id);
    expect(r.engine.getState().lastEnded).toMatchObject({ id, phase: { name: 'done', ending: { kind: 'rejected', reason: 'user' } } });
  });

  it('cancel: the caller hung up first', async () => {
    const { id, call } = await ringing();
    call.edgeCancel();
    expect(r.engine.getState().lastEnded).toMatchObject({ id, phase: { name: 'done', ending: { kind: 'canceled' } } });
  });

  it('local hangup', async () => {
    const { id } = await answered();
    r.engine.hangUp(id);
    await until(r.engine, () => callById(r.engine, id)?.phase.name === 'wrap-up');
    expect(callById(r.engine, id)?.phase).toMatchObject({ ending: { kind: 'local-hangup' } });
  });

  it('a gateway hangup with an error ends as failed, with the error', async () => {
    const { id, call } = await answered();
    call.edgeHangup({ code: 31005, message: 'Error sent from gateway in HANGUP' });
    const s = await until(r.engine, () => callById(r.engine, id)?.phase.name === 'wrap-up');
    expect(s.calls[0]?.phase).toMatchObject({ ending: { kind: 'failed', error: { code: 31005 } } });
  });

  it('a media failure (disconnect, then error) ends as failed', async () => {
    const { id, call } = await ringing();
    r.engine.accept(id);
    call.mediaFailure({ code: 31208, message: 'User denied access to microphone' });
    await until(r.engine, (s) => s.lastEnded?.id === id);
    expect(r.engine.getState().lastEnded?.phase).toMatchObject({ name: 'done', ending: { kind: 'failed', error: { code: 31208 } } });
  });

  it('a lost signaling socket without reconnect ends the call as failed', async () => {
    const { id, call } = await answered();
    call.transportLost();
    await until(r.engine, () => callById(r.engine, id)?.phase.name === 'wrap-up');
    expect(callById(r.engine, id)?.phase).toMatchObject({ ending: { kind: 'failed' } });
  });

  it('a non-fatal error is shown and the call goes on', async () => {
    const { id, call } = await answered();
    call.nonFatalError({ code: 31209, message: 'DTMF failed' });
    await until(r.engine, () => callById(r.engine, id)?.lastError?.code === 31209);
    expect(callById(r.engine, id)?.phase.name).toBe('open');
  });

  it('reconnecting / reconnected and quality warnings are state', async () => {
    const { id, call } = await answered();
    call.reconnecting();
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'open', reconnecting: true });
    call.reconnected();
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'open', reconnecting: false });
    call.warning('high-packet-loss');
    call.warning('low-mos');
    call.warningCleared('high-packet-loss');
    expect(callById(r.engine, id)?.warnings).toEqual(['low-mos']);
  });

  it('mute and DTMF', async () => {
    const { id, call } = await answered();
    r.engine.mute(id, true);
    expect(call.isMuted()).toBe(true);
    expect(callById(r.engine, id)?.muted).toBe(true);
    r.engine.sendDigits(id, '12#');
    expect(call.digits).toEqual(['12#']);
    expect(() => r.engine.sendDigits(id, '1; drop')).toThrow(VoiceError);
  });

  it('hold without a HoldAudio is refused with a reason', async () => {
    const { id } = await answered();
    await expect(r.engine.setHold(id, true)).rejects.toMatchObject({ code: 'not-available' });
    expect(callById(r.engine, id)?.hold).toBe('off');
  });
});

describe('VoiceEngine: the Device\'s microphone-level polling', () => {
  beforeEach(async () => {
    await startRegistered();
  });

  it('is stopped when a call opens: an inputVolume listener is added and removed (nothing here hears it)', async () => {
    const { id, call } = await ringing();
    const audio = r.device().audio;
    const seen: string[] = [];
    const on = audio.on.bind(audio);
    const off = audio.removeListener.bind(audio);
    audio.on = (event: string, listener: never) => (seen.push(`on ${event}`), on(event, listener));
    audio.removeListener = (event: string, listener: never) => (seen.push(`off ${event}`), off(event, listener));
    r.engine.accept(id);
    expect(seen).toEqual([]);
    call.edgeAnswer();
    expect(seen).toEqual(['on inputVolume', 'off inputVolume']);
    expect(audio.listenerCount('inputVolume')).toBe(0);
  });
});

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('VoiceEngine: the screen hears of an answer once the SDK has sent it (answer-window.ts)', () => {
  beforeEach(async () => {
    await startRegistered();
  });

  it('listeners hear nothing between the accept and the SDK answering, then the open call once, a task later', async () => {
    const { id, call } = await ringing();
    const heard: string[] = [];
    r.engine.subscribe((s) => heard.push(s.calls.find((c) => c.id === id)?.phase.name ?? '-'));
    r.engine.accept(id);
    expect(call.acceptCalls).toBe(1);
    expect(callById(r.engine, id)?.phase.name).toBe('connecting'); // the engine's own state at once
    await settle();
    expect(heard).toEqual([]);
    call.edgeAnswer();
    expect(heard).toEqual([]);
    await nextTask();
    expect(heard).toEqual(['open']);
    call.edgeHangup();
    await settle();
    expect(heard.at(-1)).toBe('wrap-up'); // after the answer, every change is heard as it happens
  });

  it('a second Enter, click or hotkey while the call is being answered does nothing: one accept, no error', async () => {
    const { id, call } = await ringing();
    r.engine.accept(id);
    expect(() => r.engine.accept(id)).not.toThrow();
    r.engine.handlePhoneCommand({ kind: 'answer' });
    expect(call.acceptCalls).toBe(1);
    expect(r.engine.getState().problem).toBeNull();
  });

  it('when the SDK takes longer than ANSWER_WINDOW_MAX_MS, listeners hear "connecting" then', async () => {
    const { id } = await ringing();
    const heard: string[] = [];
    r.engine.subscribe((s) => heard.push(s.calls.find((c) => c.id === id)?.phase.name ?? '-'));
    r.engine.accept(id);
    r.clock.advance(ANSWER_WINDOW_MAX_MS - 1);
    expect(heard).toEqual([]);
    r.clock.advance(1);
    expect(heard).toEqual(['connecting']);
  });

  it('an answer that fails (microphone denied) is heard a task later, as the failure', async () => {
    const { id, call } = await ringing();
    const heard: string[] = [];
    r.engine.subscribe((s) => heard.push(s.lastEnded?.id === id ? `${s.lastEnded.phase.name}` : (s.calls.find((c) => c.id === id)?.phase.name ?? '-')));
    r.engine.accept(id);
    call.mediaFailure({ code: 31208, message: 'Permission denied' });
    await settle();
    await nextTask();
    expect(heard.at(-1)).toBe('done');
    expect(heard).not.toContain('connecting');
  });

  it('stop() while answering: listeners hear the stopped phone at once', async () => {
    const { id } = await ringing();
    const heard: string[] = [];
    r.engine.subscribe((s) => heard.push(s.device.status));
    r.engine.accept(id);
    r.engine.stop();
    expect(heard.at(-1)).toBe('unregistered');
  });
});

describe('VoiceEngine: ringing from the signaling invite (before the SDK emits incoming)', () => {
  beforeEach(async () => {
    await startRegistered(undefined, true);
  });
  const params = { CallSid: 'CA77', From: '+13105550177', To: 'client:user_reception' };
  const invite = () => r.signaling!.invite({ callSid: 'CA77', from: params.From, to: params.To, customParameters: { callId: 'call_77' } });
  const only = () => {
    const calls = r.engine.getState().calls;
    expect(calls).toHaveLength(1);
    return calls[0]!;
  };

  it('rings at the invite; the SDK Call attaches to the same call and drives it on', async () => {
    invite();
    const early = only();
    expect(early).toMatchObject({ direction: 'incoming', callSid: 'CA77', from: params.From, customParameters: { callId: 'call_77' }, phase: { name: 'ringing' } });
    const call = r.device().invite(params, { callId: 'call_77' });
    expect(only().id).toBe(early.id); // no second call
    r.engine.accept(early.id);
    expect(call.acceptCalls).toBe(1);
    call.edgeAnswer();
    expect(callById(r.engine, early.id)?.phase.name).toBe('open');
  });

  it('answered before the SDK has the Call: accepted the moment it comes', async () => {
    invite();
    const { id } = only();
    r.engine.handlePhoneCommand({ kind: 'answer' });
    expect(callById(r.engine, id)?.phase.name).toBe('connecting');
    const call = r.device().invite(params);
    expect(call.acceptCalls).toBe(1);
    call.edgeAnswer();
    expect(callById(r.engine, id)?.phase.name).toBe('open');
  });

  it('rejected before the SDK has the Call: gone at once, and the SDK Call is rejected when it comes', async () => {
    invite();
    const { id } = only();
    r.engine.reject(id);
    expect(r.engine.getState().calls).toEqual([]);
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'done', ending: { kind: 'rejected', reason: 'user' } });
    const call = r.device().invite(params);
    expect(call.status()).toBe('closed');
    expect(r.engine.getState().calls).toEqual([]);
  });

  it('the caller gave up before incoming (the SDK emits it with a closed Call): canceled', async () => {
    invite();
    const { id } = only();
    const call = r.device().inviteBuilt(params);
    call.edgeCancel();
    r.device().emitIncoming(call);
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'done', ending: { kind: 'canceled' } });
  });

  it('no SDK Call within 10 s: given up as failed; a second invite frame for the same sid adds nothing', async () => {
    invite();
    invite();
    const { id } = only();
    r.clock.advance(10_000);
    expect(callById(r.engine, id)?.phase).toMatchObject({ name: 'done', ending: { kind: 'failed' } });
    expect(r.engine.getState().calls).toEqual([]);
  });

  it('an SDK incoming without an invite frame seen still rings (no monitor, or a new SDK transport)', async () => {
    const { id } = await ringing();
    expect(callById(r.engine, id)?.phase.name).toBe('ringing');
  });
});

describe('VoiceEngine with the real signaling monitor: the SDK handles the invite after the panel is painted', () => {
  /**
   * The monitor on a socket the test drives; the "SDK" is a listener added after the socket was made
   * (as wstransport adds its own) that builds the fake Device's Call when it gets the invite frame.
   */
  async function heldRig() {
    const hold = new ManualHold();
    const clock = new ManualClock();
    const { WebSocket: Monitored, monitor } = createSignalingMonitor(FakeWebSocket as unknown as typeof WebSocket, () => clock.now(), hold.schedule);
    const factory = fakeDeviceFactory();
    const engine = new VoiceEngine({ bridge: new FakeBridge(() => clock.now()), createDevice: factory.create, clock, network: new FakeNetwork(), log: () => undefined, signaling: monitor });
    r = { clock, engine, factory, device: () => factory.devices.at(-1)! } as Rig;
    engine.start();
    await until(engine, registered);
    await settle();
    const socket = new Monitored('wss://127.0.0.1:4443/signal') as unknown as FakeWebSocket;
    const sdkCalls: FakeCall[] = [];
    socket.addEventListener('message', (e) => {
      const frame = JSON.parse(String((e as MessageEvent).data)) as { type: string; payload: { parameters: { CallSid: string; From: string; To: string } } };
      if (frame.type === 'invite') sdkCalls.push(factory.devices.at(-1)!.invite(frame.payload.parameters));
    });
    socket.serverOpen();
    return { hold, engine, socket, sdkCalls };
  }

  it('Answer pressed between the invite and the paint (no SDK Call yet) is carried out when the SDK gets the invite', async () => {
    const t = await heldRig();
    t.socket.serverSend(inviteFrame('CA91', '+13105550191', 'client:user_reception'));
    const [ringingCall] = t.engine.getState().calls;
    expect(ringingCall).toMatchObject({ callSid: 'CA91', phase: { name: 'ringing' } });
    expect(t.sdkCalls).toEqual([]); // held behind the panel's paint
    t.engine.handlePhoneCommand({ kind: 'answer' }); // the answer hotkey, in that window
    expect(callById(t.engine, ringingCall!.id)?.phase.name).toBe('connecting');
    t.hold.paint();
    expect(t.sdkCalls).toHaveLength(1);
    expect(t.sdkCalls[0]!.acceptCalls).toBe(1);
    t.sdkCalls[0]!.edgeAnswer();
    expect(callById(t.engine, ringingCall!.id)?.phase.name).toBe('open');
  });

  it('Reject pressed in that window: the SDK Call is rejected when it comes, and nothing rings again', async () => {
    const t = await heldRig();
    t.socket.serverSend(inviteFrame('CA92', '+13105550192', 'client:user_reception'));
    const [ringingCall] = t.engine.getState().calls;
    t.engine.reject(ringingCall!.id);
    t.hold.paint();
    expect(t.sdkCalls[0]!.status()).toBe('closed');
    expect(t.engine.getState().calls).toEqual([]);
  });
});

describe('VoiceEngine: hold in the browser (no conference)', () => {
  let hold: FakeHoldAudio;
  beforeEach(async () => {
    hold = new FakeHoldAudio();
    await startRegistered(undefined, false, hold);
  });

  it('adds its processor to each new Device before any call', () => {
    expect(hold.installedOn).toEqual([r.device().audio]);
    expect(r.device().audio.processors.local).toBe(hold.processor);
  });

  it('asks for the hold loop a second after the Device has registered, not on the way to "Ready for calls"', async () => {
    expect(hold.preloads).toBe(0);
    r.clock.advance(999);
    expect(hold.preloads).toBe(0);
    r.clock.advance(1);
    expect(hold.preloads).toBe(1);
    const late = new FakeHoldAudio();
    const silent = rig(undefined, false, late);
    silent.factory.edge = 'silent';
    silent.engine.start();
    await until(silent.engine, (st) => st.device.status === 'registering');
    await settle();
    silent.clock.advance(5_000);
    expect(late.installedOn).toHaveLength(1);
    expect(late.preloads).toBe(0);
    silent.engine.stop();
  });

  it('holding → held → resuming → off on the same SDK call: no reconnect, no new call', async () => {
    const { id, call } = await answered();
    const gate = hold.gate();
    const holding = r.engine.setHold(id, true);
    expect(callById(r.engine, id)?.hold).toBe('holding');
    expect(r.engine.getState().calls).toHaveLength(1);
    gate.resolve();
    await holding;
    expect(callById(r.engine, id)).toMatchObject({ hold: 'held', phase: { name: 'open', reconnecting: false } });
    expect(hold.audio.get(call)).toBe('held');
    // Asking again for what already is: nothing to do.
    await r.engine.setHold(id, true);
    const resumeGate = hold.gate();
    const resuming = r.engine.setHold(id, false);
    expect(callById(r.engine, id)?.hold).toBe('resuming');
    // A second press while it is still switching is refused, not queued.
    await expect(r.engine.setHold(id, true)).rejects.toMatchObject({ code: 'wrong-state' });
    resumeGate.resolve();
    await resuming;
    expect(callById(r.engine, id)?.hold).toBe('off');
    expect(hold.audio.get(call)).toBe('live');
    expect(hold.requests.map((q) => q.held)).toEqual([true, false]);
    expect(call.status()).toBe('open');
    expect(r.device().connects).toEqual([]);
  });

  it('a failed hold goes back to off and says why', async () => {
    const { id, call } = await answered();
    const gate = hold.gate();
    const holding = r.engine.setHold(id, true);
    gate.reject(new Error('no audio context'));
    await expect(holding).rejects.toMatchObject({ code: 'failed', message: 'Hold failed: no audio context' });
    expect(callById(r.engine, id)?.hold).toBe('off');
    expect(hold.audio.get(call)).toBe('live');
  });

  it('muting while held keeps the music going; the mute stays for the resume', async () => {
    const { id, call } = await answered();
    await r.engine.setHold(id, true);
    r.engine.mute(id, true);
    await settle();
    expect(call.isMuted()).toBe(true);
    expect(callById(r.engine, id)).toMatchObject({ muted: true, hold: 'held' });
    expect(hold.requests.map((q) => q.held)).toEqual([true, true]);
    await r.engine.setHold(id, false);
    expect(call.isMuted()).toBe(true);
  });

  it('only a connected call can be held', async () => {
    const { id } = await ringing();
    await expect(r.engine.setHold(id, true)).rejects.toMatchObject({ code: 'wrong-state' });
  });

  it('a call that ends on hold releases its audio and goes to wrap-up with hold off', async () => {
    const { id, call } = await answered();
    await r.engine.setHold(id, true);
    call.edgeHangup();
    await settle();
    expect(callById(r.engine, id)).toMatchObject({ hold: 'off', phase: { name: 'wrap-up', ending: { kind: 'remote-hangup' } } });
    expect(hold.released).toEqual([call]);
  });

  it('a second call can be answered while the first is held; the first stays held until the second ends', async () => {
    const first = await answered();
    await r.engine.setHold(first.id, true);
    const second = await ringing('+13105550199');
    r.engine.accept(second.id);
    second.call.edgeAnswer();
    expect(r.engine.getState().calls.map((c) => [c.id, c.phase.name, c.hold])).toEqual([
      [first.id, 'open', 'held'],
      [second.id, 'open', 'off'],
    ]);
    expect(first.call.status()).toBe('open');
    expect(hold.audio.get(first.call)).toBe('held');
    expect(hold.audio.has(second.call)).toBe(false);
    // Resuming the first would put the receptionist on both calls at once.
    await expect(r.engine.setHold(first.id, false)).rejects.toMatchObject({ code: 'busy' });
    // The hang-up and mute hotkeys act on the call being talked on, not on the held one.
    r.engine.handlePhoneCommand({ kind: 'mute' });
    expect(second.call.isMuted()).toBe(true);
    expect(first.call.isMuted()).toBe(false);
    r.engine.handlePhoneCommand({ kind: 'hangUp' });
    await settle();
    expect(callById(r.engine, second.id)?.phase).toMatchObject({ name: 'wrap-up', ending: { kind: 'local-hangup' } });
    expect(callById(r.engine, first.id)).toMatchObject({ hold: 'held', phase: { name: 'open' } });
    await r.engine.setHold(first.id, false);
    expect(callById(r.engine, first.id)?.hold).toBe('off');
    expect(hold.audio.get(first.call)).toBe('live');
  });

  it('answering over a call that is only going on hold, or over a held one with a third call open, is refused', async () => {
    const first = await answered();
    const gate = hold.gate();
    const holding = r.engine.setHold(first.id, true);
    const second = await ringing('+13105550199');
    expect(() => r.engine.accept(second.id)).toThrow(expect.objectContaining({ code: 'busy' }));
    gate.resolve();
    await holding;
    r.engine.accept(second.id);
    second.call.edgeAnswer();
    const third = await ringing('+13105550198');
    expect(() => r.engine.accept(third.id)).toThrow(expect.objectContaining({ code: 'busy' }));
  });

  it('with a chosen microphone (one track shared by all calls) answering over a held call is refused', async () => {
    await r.engine.setMicrophone('headset-mic');
    const first = await answered();
    await r.engine.setHold(first.id, true);
    const second = await ringing('+13105550199');
    expect(() => r.engine.accept(second.id)).toThrow(expect.objectContaining({ code: 'busy' }));
    expect(callById(r.engine, second.id)?.phase.name).toBe('ringing');
  });

  it('stop() hangs up every live SDK call, held ones included', async () => {
    const first = await answered();
    await r.engine.setHold(first.id, true);
    const second = await ringing('+13105550199');
    r.engine.accept(second.id);
    second.call.edgeAnswer();
    r.engine.stop();
    expect([first.call.status(), second.call.status()]).toEqual(['closed', 'closed']);
  });
});

describe('VoiceEngine: several calls', () => {
  it('a second call while busy rings, cannot be answered over the first, and can be rejected', async () => {
    await startRegistered();
    const first = await answered();
    const second = await ringing('+13105550199');
    expect(r.engine.getState().calls.map((c) => c.phase.name)).toEqual(['open', 'ringing']);
    expect(() => r.engine.accept(second.id)).toThrow(expect.objectContaining({ code: 'busy' }));
    r.engine.reject(second.id);
    expect(r.engine.getState().calls.map((c) => c.id)).toEqual([first.id]);
    expect(r.engine.getState().lastEnded).toMatchObject({ id: second.id, phase: { ending: { kind: 'rejected' } } });
  });

  it('send to voicemail: refused with a reason until the app provides the action', async () => {
    await startRegistered();
    await answered();
    const second = await ringing('+13105550199');
    await expect(r.engine.sendToVoicemail(second.id)).rejects.toMatchObject({ code: 'not-available' });
    expect(callById(r.engine, second.id)?.phase.name).toBe('ringing');
  });

  it('send to voicemail through the injected action ends the call as rejected: voicemail', async () => {
    const sent: string[] = [];
    await startRegistered({ sendToVoicemail: async (call) => void sent.push(call.callSid ?? '') });
    await answered();
    const second = await ringing('+13105550199');
    await r.engine.sendToVoicemail(second.id);
    expect(sent).toEqual(['CA2']);
    expect(r.engine.getState().lastEnded).toMatchObject({ id: second.id, phase: { ending: { kind: 'rejected', reason: 'voicemail' } } });
    expect(second.call.status()).toBe('closed');
  });
});

describe('VoiceEngine: the microphone opens while a call rings and closes when it is answered or stops ringing', () => {
  let mic: FakeMicrophone;
  beforeEach(async () => {
    mic = new FakeMicrophone();
    await startRegistered({ sendToVoicemail: async () => undefined }, true, null, mic);
  });

  it('closed while idle; open while ringing and while being answered; closed once the call is open', async () => {
    expect(mic.open).toBe(false);
    const { id, call } = await ringing();
    expect(mic.open).toBe(true);
    r.engine.accept(id);
    expect(mic.open).toBe(true);
    call.edgeAnswer();
    expect(callById(r.engine, id)?.phase.name).toBe('open');
    expect(mic.open).toBe(false);
    expect(mic.warms).toBe(1);
  });

  it('closed when the receptionist rejects', async () => {
    const { id } = await ringing();
    r.engine.reject(id);
    expect(mic.open).toBe(false);
  });

  it('closed when the caller hangs up or the ringing times out (the edge cancels)', async () => {
    const { call } = await ringing();
    call.edgeCancel();
    expect(mic.open).toBe(false);
  });

  it('closed when the call goes to voicemail', async () => {
    const { id } = await ringing();
    await r.engine.sendToVoicemail(id);
    expect(r.engine.getState().lastEnded).toMatchObject({ id, phase: { ending: { kind: 'rejected', reason: 'voicemail' } } });
    expect(mic.open).toBe(false);
  });

  it('closed when answering fails (microphone denied)', async () => {
    const { id, call } = await ringing();
    r.engine.accept(id);
    call.mediaFailure({ code: 31208, message: 'User denied access to microphone' });
    await until(r.engine, (s) => s.lastEnded?.id === id);
    expect(mic.open).toBe(false);
  });

  it('opens from the edge’s invite, before the SDK has the Call, and closes when that call is given up', async () => {
    r.signaling!.invite({ callSid: 'CA88', from: '+13105550100', to: 'client:user_reception', customParameters: {} });
    expect(r.engine.getState().calls[0]?.phase.name).toBe('ringing');
    expect(mic.open).toBe(true);
    r.clock.advance(60_000);
    expect(r.engine.getState().calls).toEqual([]);
    expect(mic.open).toBe(false);
  });

  it('stays open while a second call rings after the first was rejected, and closes with the last', async () => {
    const first = await ringing('+13105550100');
    const second = await ringing('+13105550199');
    r.engine.reject(first.id);
    expect(mic.open).toBe(true);
    r.engine.reject(second.id);
    expect(mic.open).toBe(false);
  });

  it('not opened when the SDK already holds the receptionist’s chosen microphone (it opens none on accept)', async () => {
    await r.engine.setMicrophone('headset-mic');
    await ringing();
    expect(mic.warms).toBe(0);
  });

  it('closed when the phone stops', async () => {
    await ringing();
    r.engine.stop();
    expect(mic.open).toBe(false);
  });

  it('is where the SDK opens its microphones (the Device’s getUserMedia option)', async () => {
    const getUserMedia = r.device().options.getUserMedia;
    expect(getUserMedia).toBeTypeOf('function');
    await getUserMedia!({ audio: true });
    expect(mic.asked).toEqual([{ audio: true }]);
  });
});

describe('VoiceEngine: without a ringing-time microphone', () => {
  it('leaves the SDK its own getUserMedia', async () => {
    await startRegistered();
    expect(r.device().options.getUserMedia).toBeUndefined();
  });
});

describe('VoiceEngine: outgoing calls', () => {
  beforeEach(async () => {
    await startRegistered();
  });

  it('a call placed for a Manual Call task carries the task’s id (TaskId) to the voice webhook, and keeps it for the wrap-up', async () => {
    const id = await r.engine.connect({ to: '+13105550111', callerId: '+13105550100', taskId: 'task_7' });
    expect(r.device().connects).toEqual([{ To: '+13105550111', CallerId: '+13105550100', TaskId: 'task_7' }]);
    expect(callById(r.engine, id)?.customParameters).toMatchObject({ TaskId: 'task_7' });
  });

  it('dialing → connecting → remote ringing (CA sid adopted) → open', async () => {
    const placing = r.engine.connect({ to: '+13105550111', callerId: '+13105550100' });
    expect(r.engine.getState().calls[0]).toMatchObject({ direction: 'outgoing', phase: { name: 'dialing' }, to: '+13105550111' });
    const id = await placing;
    expect(r.device().connects).toEqual([{ To: '+13105550111', CallerId: '+13105550100' }]);
    expect(callById(r.engine, id)?.phase).toEqual({ name: 'connecting', remoteRinging: false });
    const call = r.device().calls[0]!;
    call.edgeRinging('CA777');
    expect(callById(r.engine, id)).toMatchObject({ callSid: 'CA777', phase: { name: 'connecting', remoteRinging: true } });
    call.edgeAnswer();
    expect(callById(r.engine, id)?.phase.name).toBe('open');
  });

  it('an unanswered outgoing call hung up by the far end is done (remote-hangup), without wrap-up', async () => {
    const id = await r.engine.connect({ to: '+13105550111', callerId: '+13105550100' });
    r.device().calls[0]!.edgeHangup();
    await until(r.engine, (s) => s.lastEnded?.id === id);
    expect(r.engine.getState().lastEnded?.phase).toMatchObject({ name: 'done', ending: { kind: 'remote-hangup' } });
  });

  it('hanging up while still dialing cancels the SDK call when it arrives', async () => {
    const placing = r.engine.connect({ to: '+13105550111', callerId: '+13105550100' });
    const id = r.engine.getState().calls[0]!.id;
    r.engine.hangUp(id);
    expect(r.engine.getState().lastEnded).toMatchObject({ id, phase: { name: 'done', ending: { kind: 'local-hangup' } } });
    await placing;
    expect(r.device().calls[0]!.status()).toBe('closed');
  });

  it('a connect() that throws ends the call as failed and tells the caller why', async () => {
    r.device().connectError = new Error('Permission denied');
    await expect(r.engine.connect({ to: '+13105550111', callerId: '+13105550100' })).rejects.toThrow(/Permission denied/);
    expect(r.engine.getState().lastEnded?.phase).toMatchObject({ name: 'done', ending: { kind: 'failed' } });
  });

  it('refuses a second outgoing call while one is in progress', async () => {
    await r.engine.connect({ to: '+13105550111', callerId: '+13105550100' });
    await expect(r.engine.connect({ to: '+13105550112', callerId: '+13105550100' })).rejects.toMatchObject({ code: 'busy' });
  });
});

describe('VoiceEngine: audio devices and commands', () => {
  beforeEach(async () => {
    await startRegistered();
  });

  it('lists devices, sets microphone, speaker and several ringers, tests the ringer with the local ringtone', async () => {
    const audio = r.device().audio;
    expect(r.engine.getState().audio.outputs.map((o) => o.label)).toEqual(['Default', 'Desk speakers', 'Output 3']);
    await r.engine.setMicrophone('headset-mic');
    await r.engine.setSpeakers(['headset']);
    await r.engine.setRingers(['desk', 'headset']);
    expect(r.engine.getState().audio).toMatchObject({ microphone: 'headset-mic', speakers: ['headset'], ringers: ['desk', 'headset'] });
    await r.engine.testRinger();
    expect(audio.ringtoneDevices.tested).toEqual(['/sounds/incoming.wav']);
  });

  it('re-applies the audio choices to a rebuilt Device, dropping outputs that are gone', async () => {
    await r.engine.setRingers(['desk', 'headset']);
    await r.engine.setMicrophone('headset-mic');
    r.device().loseRegistration();
    r.clock.advance(3_000);
    await until(r.engine, registered);
    expect(r.factory.devices).toHaveLength(2);
    expect(r.engine.getState().audio).toMatchObject({ microphone: 'headset-mic', ringers: ['desk', 'headset'] });
  });

  it("a hotkey the phone refuses hands back the engine's refusal (for the window and main to show), not the status pill's problem", async () => {
    await answered();
    const second = await ringing('+13105550199');
    const refusal = r.engine.handlePhoneCommand({ kind: 'answer' });
    expect(refusal).toBeInstanceOf(VoiceError);
    expect(refusal).toMatchObject({ code: 'busy', message: 'Hang up or hold the current call before answering another.' });
    expect(second.call.acceptCalls).toBe(0);
    expect(r.engine.getState().problem).toBeNull();
    expect(r.engine.handlePhoneCommand({ kind: 'reject' })).toBeNull();
    expect(r.engine.handlePhoneCommand({ kind: 'showWindow' })).toBeNull();
  });

  it('phone commands from main: answer, mute, hang up, reject', async () => {
    const { id, call } = await ringing();
    r.engine.handlePhoneCommand({ kind: 'answer' });
    expect(call.acceptCalls).toBe(1);
    call.edgeAnswer();
    r.engine.handlePhoneCommand({ kind: 'mute' });
    expect(callById(r.engine, id)?.muted).toBe(true);
    r.engine.handlePhoneCommand({ kind: 'hangUp' });
    await until(r.engine, () => callById(r.engine, id)?.phase.name === 'wrap-up');
    const second = await ringing('+13105550199');
    r.engine.handlePhoneCommand({ kind: 'reject' });
    expect(r.engine.getState().lastEnded?.id).toBe(second.id);
  });

  it('stop() destroys the Device and unsubscribes from main', async () => {
    r.engine.stop();
    expect(r.device().destroyed).toBe(true);
    expect(r.bridge.listenerCount()).toBe(0);
    expect(r.engine.getState().device.status).toBe('unregistered');
  });
});

describe('VoiceEngine: preparing the Device while its token is asked for (issue #21)', () => {
  function rigWith(prepareDevice: () => void): { engine: VoiceEngine; bridge: FakeBridge; factory: ReturnType<typeof fakeDeviceFactory>; logs: string[] } {
    const clock = new ManualClock();
    const bridge = new FakeBridge(() => clock.now());
    const factory = fakeDeviceFactory(null);
    const logs: string[] = [];
    const engine = new VoiceEngine({ bridge, createDevice: factory.create, clock, network: new FakeNetwork(), log: (m) => logs.push(m), prepareDevice });
    return { engine, bridge, factory, logs };
  }

  it('prepares after asking main for the token and before the Device is made', async () => {
    const seen: Array<{ tokenRequests: number; devices: number }> = [];
    const t = rigWith(() => seen.push({ tokenRequests: t.bridge.tokenRequests, devices: t.factory.devices.length }));
    t.engine.start();
    await until(t.engine, registered);
    expect(seen).toEqual([{ tokenRequests: 1, devices: 0 }]);
    expect(t.factory.devices).toHaveLength(1);
    t.engine.stop();
  });

  it('makes the Device\'s sounds once it has registered and "Ready for calls" is on screen, not on the way there', async () => {
    const clock = new ManualClock();
    const bridge = new FakeBridge(() => clock.now());
    const factory = fakeDeviceFactory(null);
    const loads: Array<{ device: unknown; status: string }> = [];
    const engine: VoiceEngine = new VoiceEngine({
      bridge,
      createDevice: factory.create,
      clock,
      network: new FakeNetwork(),
      loadDeviceSounds: (device) => loads.push({ device, status: engine.getState().device.status }),
    });
    engine.start();
    await until(engine, registered);
    await vi.waitFor(() => expect(loads).toHaveLength(1));
    expect(loads).toEqual([{ device: factory.devices[0], status: 'registered' }]);
    engine.stop();
  });

  it('makes its first Device from a prefetched config and token, asking main for neither', async () => {
    const clock = new ManualClock();
    const bridge = new FakeBridge(() => clock.now());
    let configRequests = 0;
    bridge.voice.getConfig = async () => (configRequests++, { ok: true, value: bridge.config });
    const factory = fakeDeviceFactory(null);
    const token = { token: 'jwt-early', identity: 'user_reception', expiresAt: clock.now() + 3_600_000 };
    const engine = new VoiceEngine({ bridge, createDevice: factory.create, clock, network: new FakeNetwork(), prefetched: { config: bridge.config, token } });
    engine.start();
    await until(engine, registered);
    expect(factory.devices.map((d) => d.token)).toEqual(['jwt-early']);
    expect({ configRequests, tokenRequests: bridge.tokenRequests }).toEqual({ configRequests: 0, tokenRequests: 0 });
    engine.stop();
  });

  it('still registers when preparing fails, and says why', async () => {
    const t = rigWith(() => {
      throw new Error('no audio');
    });
    t.engine.start();
    await until(t.engine, registered);
    expect(t.logs).toContain('Could not prepare the Device ahead of its token');
    t.engine.stop();
  });
});
