import type { PhoneCommand } from '../../shared/ipc';
import type { TaskHotkeyAction } from '../../shared/settings';
import type { HotkeyCommand } from '../os/hotkeys';
import type { WrapUpService } from './wrap-up-service';

/** Where a global hotkey goes: the window, the wrap-up (digits, main's own), the Tasks tab (window shown), or the VoiceEngine. */
export function routeHotkey(deps: {
  showWindow: () => void;
  wrapUps: Pick<WrapUpService, 'chooseByHotkey'>;
  phoneCommand: (command: PhoneCommand) => void;
  /** The Manual Actions queue lives in the window: it is shown and told. */
  taskCommand: (kind: TaskHotkeyAction) => void;
}): (command: HotkeyCommand) => void {
  return (command) => {
    if (command.kind === 'showWindow') deps.showWindow();
    else if (command.kind === 'disposition') deps.wrapUps.chooseByHotkey(command.index);
    else if (command.kind === 'nextTask' || command.kind === 'skipTask' || command.kind === 'completeTask') {
      deps.showWindow();
      deps.taskCommand(command.kind);
    }
    else deps.phoneCommand({ kind: command.kind });
  };
}
