import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useNavigation } from '../../state/navigation';
import { installFakeBridge } from '../../testing/fake-bridge';
import { useVoiceStore, type CallState } from '../../voice';
import { incomingCall } from '../../voice/call-machine';
import { IncomingPanel } from './IncomingPanel';
import type * as PhoneRuntime from './phone-runtime';

// What the bar and its keys ask of the engine.
const engine = vi.hoisted(() => ({ accept: vi.fn(), reject: vi.fn(), sendToVoicemail: vi.fn(async () => undefined) }));
vi.mock('./phone-runtime', async (importOriginal) => ({ ...(await importOriginal<typeof PhoneRuntime>()), phoneEngine: () => engine }));

const { RingingBar } = await import('./RingingBar');

installFakeBridge();

const WORKFLOW = { source: 'workflow', contactName: 'Ava Stone', contactPhone: '+13105550133' };
const ringing = (id: string, customParameters: Record<string, string> = {}): CallState =>
  incomingCall({ id, from: '+13105550100', to: 'client:user_reception', callSid: `CA${id}`, customParameters, at: 0 });
const open = (id: string, hold: CallState['hold']): CallState => ({ ...ringing(id), from: '+13105550111', hold, phase: { name: 'open', connectedAt: 0, reconnecting: false } });

beforeEach(() => {
  useNavigation.setState({ view: 'history', phoneDocked: false });
  vi.clearAllMocks();
});
afterEach(() => {
  cleanup();
  useVoiceStore.setState({ calls: [] });
  useNavigation.setState({ view: 'phone' });
});

describe("RingingBar: a workflow's own call is never sent to the practice's voicemail", () => {
  it('offers no Voicemail button for a workflow call, and its hint lists no V', () => {
    useVoiceStore.setState({ calls: [ringing('w', WORKFLOW)] });
    render(<RingingBar />);
    const bar = screen.getByTestId('ringing-bar');
    expect(within(bar).queryByRole('button', { name: 'Voicemail' })).toBeNull();
    expect(within(bar).getByRole('button', { name: 'Answer' })).toBeTruthy();
    expect(screen.getByTestId('ringing-hint').textContent).not.toMatch(/\bV\b|voicemail/);
  });

  it('V does nothing for a workflow call (on any tab), while it sends an ordinary call to voicemail', () => {
    useVoiceStore.setState({ calls: [ringing('w', WORKFLOW)] });
    const { unmount } = render(<RingingBar />);
    fireEvent.keyDown(document.body, { key: 'v' });
    expect(engine.sendToVoicemail).not.toHaveBeenCalled();
    unmount();

    useVoiceStore.setState({ calls: [ringing('c')] });
    render(<RingingBar />);
    expect(screen.getByRole('button', { name: 'Voicemail' })).toBeTruthy();
    expect(screen.getByTestId('ringing-hint').textContent).toContain('A R V when not typing');
    fireEvent.keyDown(document.body, { key: 'v' });
    expect(engine.sendToVoicemail).toHaveBeenCalledWith('c');
  });

  it("the Phone tab's workflow panel lists no V in its hint either", () => {
    render(<IncomingPanel call={ringing('w', WORKFLOW)} keysOn={ringing('w', WORKFLOW)} busy={false} answerRefusal={null} />);
    expect(screen.queryByRole('button', { name: /Voicemail/ })).toBeNull();
    expect(screen.getByTestId('ringing-hint').textContent).toContain('A R when not typing');
  });
});

describe('RingingBar: answering a second call as the engine allows it', () => {
  it('over a held call: Answer is enabled, and A answers', () => {
    useVoiceStore.setState({ calls: [open('a', 'held'), ringing('b')] });
    render(<RingingBar />);
    const answer = screen.getByRole('button', { name: 'Answer' }) as HTMLButtonElement;
    expect(answer.disabled).toBe(false);
    fireEvent.keyDown(document.body, { key: 'a' });
    expect(engine.accept).toHaveBeenCalledWith('b');
  });

  it('over a live call: Answer is disabled, A and Ctrl+Enter do nothing, the hint says why; R still rejects', () => {
    useVoiceStore.setState({ calls: [open('a', 'off'), ringing('b')] });
    render(<RingingBar />);
    expect((screen.getByRole('button', { name: 'Answer' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(document.body, { key: 'a' });
    fireEvent.keyDown(document.body, { key: 'Enter', ctrlKey: true });
    expect(engine.accept).not.toHaveBeenCalled();
    expect(screen.getByTestId('ringing-hint').textContent).toContain('Hang up or hold the current call before answering another.');
    fireEvent.keyDown(document.body, { key: 'r' });
    expect(engine.reject).toHaveBeenCalledWith('b');
  });
});

describe('RingingBar: two calls ringing at once', () => {
  const caller = (id: string, from: string): CallState => ({ ...ringing(id), from });

  it('only the row of the call the keys act on (the first to ring) claims the keys; the hint names that caller', () => {
    useVoiceStore.setState({ calls: [caller('a', '+13105550111'), caller('b', '+13105550122')] });
    render(<RingingBar />);
    const rows = screen.getByTestId('ringing-bar').querySelectorAll<HTMLElement>('.ringing-call');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('button', { name: 'Answer' }).getAttribute('aria-keyshortcuts')).toBe('Control+Enter A');
    for (const button of within(rows[1]!).getAllByRole('button')) expect(button.hasAttribute('aria-keyshortcuts')).toBe(false);
    expect(screen.getByTestId('ringing-hint').textContent).toMatch(/^The keys act on the call that rang first \(\(310\) 555-0111\): /);
    fireEvent.keyDown(document.body, { key: 'a' });
    expect(engine.accept).toHaveBeenCalledWith('a');
    // The other row's own button answers its call.
    fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Answer' }));
    expect(engine.accept).toHaveBeenLastCalledWith('b');
  });

  it('with one call the hint names nobody (the bar shows one caller)', () => {
    useVoiceStore.setState({ calls: [caller('a', '+13105550111')] });
    render(<RingingBar />);
    expect(screen.getByTestId('ringing-hint').textContent).toMatch(/^Ctrl\+Enter answers|^⌘\+Enter answers/);
  });
});
