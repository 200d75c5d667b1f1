import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SoftphoneBridge } from '../../../shared/ipc';
import type * as Voice from '../../voice';

// The engine is not under test: startVoice hands back what the phone asked of it.
const started = vi.hoisted(() => ({ options: null as Voice.StartVoiceOptions | null }));
vi.mock('../../voice', async (importOriginal) => ({
  ...(await importOriginal<typeof Voice>()),
  startVoice: (_bridge: unknown, options: Voice.StartVoiceOptions) => {
    started.options = options;
    return { engine: {}, refreshReport: () => undefined, stop: () => undefined };
  },
}));

const { startPhone, stopPhone } = await import('./phone-runtime');
const { usePhone } = await import('./phone-store');
const { VoiceError } = await import('../../voice');

const bridge = {
  on: () => () => undefined,
  wrapups: { setLocation: vi.fn(), getState: async () => ({ ok: false, error: { message: 'not under test' } }) },
} as unknown as SoftphoneBridge;

describe('a global hotkey or tray item the phone refuses', () => {
  afterEach(() => stopPhone());

  it('is shown in the window as a click’s refusal is (the phone’s error message), not only in a tooltip', () => {
    startPhone(bridge);
    started.options?.onCommandRefused?.(new VoiceError('busy', 'Hang up or hold the current call before answering another.'));
    expect(usePhone.getState().message).toEqual({ level: 'error', text: 'Hang up or hold the current call before answering another.' });
  });
});
