import type { PhoneStateHub } from '../../phone/phone-state-hub';
import type { NamespaceHandlers } from '../router';

export function phoneHandlers(deps: { phoneHub: PhoneStateHub }): NamespaceHandlers<'phone'> {
  return {
    'phone.reportState': (report) => {
      deps.phoneHub.report(report);
      return { accepted: true };
    },
  };
}
