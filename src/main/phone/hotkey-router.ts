import type { PhoneCommand } from '../../shared/ipc';
import type { HotkeyCommand } from '../os/hotkeys';
import type { WrapUpService } from './wrap-up-service';

/** Where a global hotkey goes: the window, the wrap-up (digits, main's own), or the VoiceEngine. */
export function routeHotkey(deps: {
  showWindow: () => void;
  wrapUps: Pick<WrapUpService, 'chooseByHotkey'>;
  phoneCommand: (command: PhoneCommand) => void;
}): (command: HotkeyCommand) => void {
  return (command) => {
    if (command.kind === 'showWindow') deps.showWindow();
    else if (command.kind === 'disposition') deps.wrapUps.chooseByHotkey(command.index);
    else deps.phoneCommand({ kind: command.kind });
  };
}
