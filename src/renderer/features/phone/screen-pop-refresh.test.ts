import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SoftphoneBridge } from '../../../shared/ipc';
import type { CallState } from '../../voice';
import type * as Voice from '../../voice';
import type * as AfterPaint from '../../lib/after-paint';

// The phone's engine is not under test: startVoice gives a stand-in; the voice store is driven by hand.
vi.mock('../../voice', async (importOriginal) => ({
  ...(await importOriginal<typeof Voice>()),
  startVoice: () => ({ engine: {}, refreshReport: () => undefined, stop: () => undefined }),
}));
// The first lookup waits for the ringing panel's first paint: here, until the test says it was painted.
const painted: Array<() => void> = [];
vi.mock('../../lib/after-paint', async (importOriginal) => ({
  ...(await importOriginal<typeof AfterPaint>()),
  afterPresented: (run: () => void) => (painted.push(run), () => undefined),
}));

const { startPhone, stopPhone } = await import('./phone-runtime');
const { useVoiceStore } = await import('../../voice');

const CALLER = '+13105552014';
const ringing = (id: string): CallState =>
  ({ id, direction: 'incoming', from: CALLER, to: '+13105550100', callSid: `CA${id}`, customParameters: {}, phase: { name: 'ringing' } }) as unknown as CallState;

function fakeBridge() {
  const handlers = new Map<string, (payload: unknown) => void>();
  const lookup = vi.fn(async () => ({ ok: true as const, value: null }));
  const bridge = {
    on: (event: string, handler: (payload: unknown) => void) => (handlers.set(event, handler), () => handlers.delete(event)),
    contacts: { lookup },
    wrapups: { setLocation: vi.fn(), getState: async () => ({ ok: false, error: { message: 'not under test' } }) },
  } as unknown as SoftphoneBridge;
  return { bridge, lookup, emit: (event: string, payload: unknown) => handlers.get(event)?.(payload) };
}

describe("a ringing call's screen pop", () => {
  let main: ReturnType<typeof fakeBridge>;
  beforeEach(() => {
    painted.length = 0;
    main = fakeBridge();
    startPhone(main.bridge);
  });
  afterEach(() => {
    stopPhone();
    useVoiceStore.setState({ calls: [] });
  });

  it('is looked up once the panel is painted, and again whenever the cache learns more of calls, contacts or users while it rings', () => {
    useVoiceStore.setState({ calls: [ringing('c1')] });
    // Before its first paint nothing is asked, whatever the cache says.
    main.emit('cache.changed', { entities: ['calls'] });
    expect(main.lookup).not.toHaveBeenCalled();
    painted.forEach((run) => run());
    expect(main.lookup).toHaveBeenCalledTimes(1);
    expect(main.lookup).toHaveBeenLastCalledWith({ number: CALLER });

    main.emit('cache.changed', { entities: ['notifications', 'tasks'] }); // nothing a screen pop shows
    expect(main.lookup).toHaveBeenCalledTimes(1);
    main.emit('cache.changed', { entities: ['calls'] }); // e.g. the caller's last call, just logged, came in
    main.emit('cache.changed', { entities: ['contacts', 'users'] });
    expect(main.lookup).toHaveBeenCalledTimes(3);

    // Answered: no longer ringing, no more lookups.
    useVoiceStore.setState({ calls: [{ ...ringing('c1'), phase: { name: 'open' } } as unknown as CallState] });
    main.emit('cache.changed', { entities: ['calls'] });
    expect(main.lookup).toHaveBeenCalledTimes(3);
  });
});
