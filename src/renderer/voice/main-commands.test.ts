import { describe, expect, it, vi } from 'vitest';
import type { PhoneCommand } from '../../shared/ipc';
import { installFakeBridge } from '../testing/fake-bridge';
import { followMainCommands } from './main-commands';
import { VoiceError } from './voice-error';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function follow(handle: (command: PhoneCommand) => VoiceError | null) {
  const fake = installFakeBridge();
  fake.handlers['phone.commandRefused'] = () => ({ notified: true });
  const onRefused = vi.fn();
  const log = vi.fn();
  const off = followMainCommands({ bridge: fake.bridge, handle, onRefused, log });
  return { fake, onRefused, log, off };
}

describe("main's phone commands", () => {
  it('a refused hotkey or tray item is shown in the window and told to main, which notifies a hidden window', async () => {
    const refusal = new VoiceError('busy', 'Hang up or hold the current call before answering another.');
    const { fake, onRefused } = follow(() => refusal);
    fake.emit('phone.command', { kind: 'answer' });
    expect(onRefused).toHaveBeenCalledWith(refusal);
    await settle();
    expect(fake.callsTo('phone.commandRefused')).toEqual([{ command: 'answer', message: 'Hang up or hold the current call before answering another.' }]);
  });

  it('a command the phone carried out, or the window’s own (show), tells nobody', async () => {
    const handled: PhoneCommand[] = [];
    const { fake, onRefused } = follow((command) => (handled.push(command), null));
    fake.emit('phone.command', { kind: 'hangUp' });
    fake.emit('phone.command', { kind: 'showWindow' });
    await settle();
    expect(handled).toEqual([{ kind: 'hangUp' }, { kind: 'showWindow' }]);
    expect(onRefused).not.toHaveBeenCalled();
    expect(fake.callsTo('phone.commandRefused')).toEqual([]);
  });

  it('main refusing the report is logged, not thrown; unsubscribing stops following', async () => {
    const { fake, log, off, onRefused } = follow(() => new VoiceError('wrong-state', 'The call is still being set up.'));
    delete fake.handlers['phone.commandRefused'];
    fake.emit('phone.command', { kind: 'mute' });
    await settle();
    expect(log).toHaveBeenCalledWith('phone.commandRefused refused', expect.objectContaining({ code: 'UNAVAILABLE' }));
    off();
    fake.emit('phone.command', { kind: 'mute' });
    expect(onRefused).toHaveBeenCalledTimes(1);
  });
});
