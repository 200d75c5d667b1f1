import type { PhoneCommand, SoftphoneBridge } from '../../shared/ipc';
import type { VoiceLog } from './engine-ports';
import type { VoiceError } from './voice-error';

/**
 * Main's phone hotkeys and tray items (`phone.command`), handed to the engine. A refusal must not
 * pass in silence (a key pressed, nothing happens): it goes to the window through `onRefused`, and
 * back to main (`phone.commandRefused`), which shows it as a desktop notification when the window is
 * hidden. Returns the unsubscribe.
 */
export function followMainCommands(deps: {
  bridge: Pick<SoftphoneBridge, 'on' | 'phone'>;
  handle: (command: PhoneCommand) => VoiceError | null;
  onRefused?: (refusal: VoiceError) => void;
  log: VoiceLog;
}): () => void {
  return deps.bridge.on('phone.command', (command) => {
    const refusal = deps.handle(command);
    if (!refusal || command.kind === 'showWindow') return;
    deps.onRefused?.(refusal);
    deps.bridge.phone.commandRefused({ command: command.kind, message: refusal.message }).then(
      (result) => {
        if (!result.ok) deps.log('phone.commandRefused refused', result.error);
      },
      (error: unknown) => deps.log('phone.commandRefused failed', error),
    );
  });
}
