import type { CallActions } from '../../phone/call-actions';
import type { NamespaceHandlers } from '../router';

export function callsHandlers(deps: { callActions: CallActions }): NamespaceHandlers<'calls'> {
  return {
    'calls.action': (input) => deps.callActions(input),
  };
}
