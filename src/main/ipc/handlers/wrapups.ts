import type { WrapUps } from '../../phone/wrap-ups';
import type { NamespaceHandlers } from '../router';

export function wrapupsHandlers(deps: { wrapUps: WrapUps }): NamespaceHandlers<'wrapups'> {
  const { wrapUps } = deps;
  return {
    'wrapups.list': () => wrapUps.list(),
    'wrapups.start': (input) => wrapUps.start(input),
    'wrapups.choose': (input) => wrapUps.choose(input),
    'wrapups.commit': ({ twilioCallSid }) => ({ committed: wrapUps.commit(twilioCallSid) }),
    'wrapups.dismiss': ({ twilioCallSid }) => ({ dismissed: wrapUps.dismiss(twilioCallSid) }),
  };
}
