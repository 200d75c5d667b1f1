import type { AlertService } from '../../os/alerts';
import type { PhoneStateHub } from '../../phone/phone-state-hub';
import type { NamespaceHandlers } from '../router';

export function phoneHandlers(deps: { phoneHub: PhoneStateHub; alerts: Pick<AlertService, 'commandRefused'> }): NamespaceHandlers<'phone'> {
  return {
    'phone.reportState': (report) => {
      deps.phoneHub.report(report);
      return { accepted: true };
    },
    // The window shows the refusal itself; a hidden window needs the desktop's notification.
    'phone.commandRefused': (refused) => ({ notified: deps.alerts.commandRefused(refused) }),
  };
}
