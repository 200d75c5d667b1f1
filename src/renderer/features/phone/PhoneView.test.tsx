import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../shared/testing/manual-clock';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { bindVoiceStore, engagedCall, useVoiceStore, VoiceEngine, type CallState, type VoiceEngineState } from '../../voice';
import { incomingCall } from '../../voice/call-machine';
import { initialEngineState } from '../../voice/engine-state';
import { FakeBridge, FakeNetwork } from '../../voice/testing/fake-bridge';
import { FakeHoldAudio } from '../../voice/testing/fake-hold-audio';
import { fakeDeviceFactory, type FakeCall } from '../../voice/testing/fake-sdk';
import { settle } from '../../voice/testing/deferred';
import { usePhone } from './phone-store';
import { commandKeyName } from './ringing-keys';
import type * as PhoneRuntime from './phone-runtime';

// The window's commands go to the engine these tests run (a real VoiceEngine over the fake SDK).
const phone = vi.hoisted(() => ({ engine: null as VoiceEngine | null }));
vi.mock('./phone-runtime', async (importOriginal) => ({ ...(await importOriginal<typeof PhoneRuntime>()), phoneEngine: () => phone.engine }));

const { PhoneView, CallAnnouncer, announceRinging } = await import('./PhoneView');
const { RingingBar } = await import('./RingingBar');

installFakeBridge();

describe('the phone before anyone is signed in', () => {
  afterEach(() => {
    cleanup();
    useSession.setState({ session: null });
  });

  it('says it is starting while main has not said who is signed in (not "Sign in", wrong for most starts)', () => {
    useSession.setState({ session: null });
    render(<PhoneView />);
    expect(screen.getByRole('status').textContent).toBe('Starting…');
    expect(screen.queryByText('Sign in to use the phone.')).toBeNull();
  });

  it('asks to sign in once main says nobody is', () => {
    useSession.setState({ session: { status: 'signed-out' } });
    render(<PhoneView />);
    expect(screen.getByText('Sign in to use the phone.')).toBeTruthy();
    expect(screen.queryByText('Starting…')).toBeNull();
  });
});

const signIn = () => useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', name: 'Jordan', email: 'j@x', role: 'receptionist', locationIds: [] } as never, sessionId: 's' } as never });

/** A registered engine over the fake SDK, mirrored into the voice store as the app does. */
async function startEngine() {
  const clock = new ManualClock();
  const factory = fakeDeviceFactory();
  let n = 0;
  const engine = new VoiceEngine({ bridge: new FakeBridge(() => clock.now()), createDevice: factory.create, clock, network: new FakeNetwork(), newId: () => `call-${++n}`, log: () => undefined, holdAudio: new FakeHoldAudio() });
  const unbind = bindVoiceStore(engine);
  engine.start();
  await until(engine, (s) => s.device.status === 'registered');
  phone.engine = engine;
  const device = () => factory.devices.at(-1)!;
  const ring = async (from: string): Promise<{ id: string; call: FakeCall }> => {
    const call = device().invite({ CallSid: `CA${device().calls.length + 1}`, From: from, To: 'client:user_reception' });
    const state = await until(engine, (s) => s.calls.some((c) => c.callSid === call.parameters.CallSid));
    return { id: state.calls.find((c) => c.callSid === call.parameters.CallSid)!.id, call };
  };
  /** The edge connects the call the engine accepted; the engine's listeners hear of it a task later (answer-window.ts). */
  const connect = async (call: FakeCall) => {
    call.edgeAnswer();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return {
    engine,
    ring,
    connect,
    call: (id: string) => engine.getState().calls.find((c) => c.id === id),
    stop: () => {
      engine.stop();
      unbind();
      phone.engine = null;
    },
  };
}

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

/** The Answer button of the incoming panel on screen (the dormant one is inert). */
const answerButton = () => screen.getAllByRole('button', { name: /Answer/ }).find((b) => !b.closest('[inert]')) as HTMLButtonElement;

describe('two calls: the window shows and acts on the call the engine does', () => {
  let rig: Awaited<ReturnType<typeof startEngine>>;
  beforeEach(async () => {
    signIn();
    rig = await startEngine();
  });
  afterEach(() => {
    cleanup();
    rig.stop();
    useVoiceStore.setState(initialEngineState);
    usePhone.setState({ message: null });
  });

  it('answers a second call over a held one, shows the live call with the held one as a row, and E and Resume act on the right call', async () => {
    render(<PhoneView />);
    const first = await rig.ring('+13105550111');
    await act(async () => fireEvent.click(answerButton()));
    expect(first.call.acceptCalls).toBe(1);
    await act(async () => rig.connect(first.call));

    // A second call during a live call: Answer is refused (by the engine's rule), and the hint says why.
    const second = await rig.ring('+13105550122');
    await act(settle);
    expect(answerButton().disabled).toBe(true);
    expect(screen.getByTestId('ringing-hint').textContent).toContain('Hang up or hold the current call before answering another.');
    expect(screen.getByTestId('ringing-hint').textContent).not.toContain('answers');

    // The first call on hold: the engine allows the answer, so the window does too.
    await act(async () => fireEvent.keyDown(screen.getByTestId('in-call-panel'), { key: 'h' }));
    await act(settle);
    expect(rig.call(first.id)?.hold).toBe('held');
    expect(answerButton().disabled).toBe(false);
    expect(screen.getByTestId('ringing-hint').textContent).toContain(`${commandKeyName()}+Enter answers`);
    await act(async () => fireEvent.click(answerButton()));
    expect(second.call.acceptCalls).toBe(1);
    await act(async () => rig.connect(second.call));

    // The panel is the live call's (the one the hang-up hotkey ends); the held call is a row with Resume.
    const panel = screen.getByTestId('in-call-panel');
    expect(panel.getAttribute('aria-label')).toBe('Call with (310) 555-0122');
    expect(engagedCall(rig.engine.getState().calls)?.id).toBe(second.id);
    const held = screen.getByTestId('held-call');
    expect(held.textContent).toContain('On hold: (310) 555-0111');
    // Resume while the other call is live: the engine refuses, and its words are shown.
    await act(async () => fireEvent.click(within(held).getByRole('button', { name: 'Resume the call with (310) 555-0111' })));
    await act(settle);
    expect(screen.getByRole('alert').textContent).toContain('Hang up or hold the other call before resuming this one.');
    expect(rig.call(first.id)?.hold).toBe('held');

    // E hangs up the live call, not the one on hold.
    await act(async () => fireEvent.keyDown(panel, { key: 'e' }));
    await act(settle);
    expect(rig.call(second.id)?.phase.name).toBe('wrap-up');
    expect(rig.call(first.id)).toMatchObject({ hold: 'held', phase: { name: 'open' } });
    expect(screen.getByTestId('in-call-panel').getAttribute('aria-label')).toBe('Call with (310) 555-0111');
    expect(screen.queryByTestId('held-call')).toBeNull();
  });

  it('both calls on hold: Resume on the row resumes that call', async () => {
    render(<PhoneView />);
    const first = await rig.ring('+13105550111');
    rig.engine.accept(first.id);
    await rig.connect(first.call);
    await rig.engine.setHold(first.id, true);
    const second = await rig.ring('+13105550122');
    rig.engine.accept(second.id);
    await rig.connect(second.call);
    await rig.engine.setHold(second.id, true);
    await act(settle);
    // Both held: the engine's call is the first; the second is the row.
    expect(screen.getByTestId('in-call-panel').getAttribute('aria-label')).toBe('Call with (310) 555-0111');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Resume the call with (310) 555-0122' })));
    await act(settle);
    expect(rig.call(second.id)?.hold).toBe('off');
    expect(screen.getByTestId('in-call-panel').getAttribute('aria-label')).toBe('Call with (310) 555-0122');
    expect(screen.getByTestId('held-call').textContent).toContain('On hold: (310) 555-0111');
  });

  it('with a chosen microphone a call cannot be answered over a held one: the window agrees with the engine', async () => {
    await rig.engine.setMicrophone('headset-mic');
    render(<PhoneView />);
    const first = await rig.ring('+13105550111');
    rig.engine.accept(first.id);
    await rig.connect(first.call);
    await rig.engine.setHold(first.id, true);
    const second = await rig.ring('+13105550122');
    await act(settle);
    expect(() => rig.engine.accept(second.id)).toThrow('Hang up the call on hold before answering another');
    expect(answerButton().disabled).toBe(true);
    expect(screen.getByTestId('ringing-hint').textContent).toContain('Hang up the call on hold before answering another');
  });

  // Two calls ringing at once: only the call the keys act on (the first to ring) shows them.
  // The window's ringing keys are the ringing bar's (mounted on every tab; on the Phone tab it draws nothing).
  const renderPhoneTab = () =>
    render(
      <>
        <RingingBar />
        <PhoneView />
      </>,
    );
  const panels = () => screen.getAllByTestId('incoming-panel');
  const panelOf = (caller: string) => panels().find((p) => p.getAttribute('aria-label') === `Incoming call from ${caller}`)!;

  it("the second caller's panel shows no key hint, no key labels and no aria-keyshortcuts, and says which call the keys act on", async () => {
    renderPhoneTab();
    const first = await rig.ring('+13105550111');
    const second = await rig.ring('+13105550122');
    await act(settle);
    expect(panels()).toHaveLength(2);
    const firstPanel = panelOf('(310) 555-0111');
    const secondPanel = panelOf('(310) 555-0122');

    // The keys' panel: the hint and the key labels, as for one call.
    expect(within(firstPanel).getByTestId('ringing-hint').textContent).toContain(`${commandKeyName()}+Enter answers`);
    expect(within(firstPanel).getByRole('button', { name: /Answer/ }).getAttribute('aria-keyshortcuts')).toBe('Control+Enter A');
    expect(within(firstPanel).getAllByRole('button').some((b) => b.querySelector('kbd'))).toBe(true);

    // The other one: its buttons, nothing that claims a key, and a plain note naming the call the keys act on.
    expect(screen.getAllByTestId('ringing-hint')).toHaveLength(1);
    expect(within(secondPanel).queryByTestId('ringing-hint')).toBeNull();
    for (const button of within(secondPanel).getAllByRole('button')) {
      expect(button.querySelector('kbd')).toBeNull();
      expect(button.hasAttribute('aria-keyshortcuts')).toBe(false);
    }
    expect(within(secondPanel).getByRole('button', { name: 'Answer' })).toBeTruthy();
    expect(within(secondPanel).getByRole('button', { name: 'Voicemail' })).toBeTruthy();
    expect(within(secondPanel).getByTestId('ringing-keys-elsewhere').textContent).toBe(
      'The keys act on the call that rang first ((310) 555-0111). Use these buttons for this call.',
    );

    // A answers the call whose panel shows the hint, not the other one.
    await act(async () => fireEvent.keyDown(document.body, { key: 'a' }));
    expect(first.call.acceptCalls).toBe(1);
    expect(second.call.acceptCalls).toBe(0);
  });

  it("the second panel's own Answer answers its call; once the first stops ringing, the keys and the hint move to the second", async () => {
    renderPhoneTab();
    const first = await rig.ring('+13105550111');
    const second = await rig.ring('+13105550122');
    await act(settle);
    // R rejects the first (the keys' call); the second is now the one the keys act on.
    await act(async () => fireEvent.keyDown(document.body, { key: 'r' }));
    await act(settle);
    expect(rig.call(first.id)).toBeUndefined();
    expect(panels()).toHaveLength(1);
    const panel = panelOf('(310) 555-0122');
    expect(within(panel).getByTestId('ringing-hint').textContent).toContain(`${commandKeyName()}+Enter answers`);
    expect(within(panel).queryByTestId('ringing-keys-elsewhere')).toBeNull();
    expect(within(panel).getByRole('button', { name: /Answer/ }).getAttribute('aria-keyshortcuts')).toBe('Control+Enter A');
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: /Answer/ })));
    expect(second.call.acceptCalls).toBe(1);
  });
});

describe('the screen-reader announcement of a ringing call', () => {
  const ringing = (id: string, from: string) => incomingCall({ id, from, to: '+13105550100', callSid: `CA${id}`, customParameters: {}, at: 0 });
  const open = (id: string, from: string, hold: CallState['hold']): CallState => ({ ...ringing(id, from), hold, phase: { name: 'open', connectedAt: 0, reconnecting: false } });
  afterEach(() => {
    cleanup();
    useVoiceStore.setState({ calls: [] });
  });

  it('during a live call names no answer key (none works), says why, and how to reject', () => {
    useVoiceStore.setState({ calls: [open('a', '+13105550111', 'off'), ringing('b', '+13105550122')] });
    render(<CallAnnouncer />);
    act(() => undefined);
    const cmd = commandKeyName();
    expect(screen.getByTestId('call-announcer').textContent).toBe(
      `Incoming call from (310) 555-0122. Hang up or hold the current call before answering another. Press ${cmd}+Shift+D to reject.`,
    );
  });

  it('over a held call (the engine answers it) names the answer key, as the hint does', () => {
    useVoiceStore.setState({ calls: [open('a', '+13105550111', 'held'), ringing('b', '+13105550122')] });
    render(<CallAnnouncer />);
    act(() => undefined);
    const cmd = commandKeyName();
    expect(screen.getByTestId('call-announcer').textContent).toBe(`Incoming call from (310) 555-0122. Press ${cmd}+Enter to answer, ${cmd}+Shift+D to reject.`);
  });

  it("says the keyboard's own command key, and names keys only for the call they act on (the first)", () => {
    const calls = [ringing('b', '+13105550122'), ringing('c', '+13105550133')];
    expect(announceRinging(calls, null, '⌘')).toBe('Incoming call from (310) 555-0122. Press ⌘+Enter to answer, ⌘+Shift+D to reject. Incoming call from (310) 555-0133.');
  });
});
