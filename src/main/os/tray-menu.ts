import type { PhoneCommand } from '../../shared/ipc';
import type { HostPort } from '../hosts/host-port';
import type { TrayMenuItem } from './tray-model';

/** What each tray menu item does: window items here, phone items as commands for the VoiceEngine. */
export function trayMenuAction(deps: {
  host: Pick<HostPort, 'showWindow' | 'quit'>;
  navigate: (redirect: string) => void;
  phoneCommand: (command: PhoneCommand) => void;
}): (id: TrayMenuItem['id']) => void {
  return (id) => {
    switch (id) {
      case 'show':
        deps.host.showWindow();
        break;
      case 'alerts':
        deps.host.showWindow();
        deps.navigate('alerts');
        break;
      case 'tasks':
        deps.host.showWindow();
        deps.navigate('task'); // the Tasks tab (a task:<id> redirect's section)
        break;
      case 'quit':
        deps.host.quit();
        break;
      default:
        deps.phoneCommand({ kind: id });
    }
  };
}
