import type { WrapUpService } from '../../phone/wrap-up-service';
import type { NamespaceHandlers } from '../router';

/** Intents from the picker; main owns the wrap-up and answers each with its new state. */
export function wrapupsHandlers(deps: { wrapUps: WrapUpService }): NamespaceHandlers<'wrapups'> {
  const { wrapUps } = deps;
  return {
    'wrapups.getState': () => wrapUps.state(),
    'wrapups.start': (input) => wrapUps.start(input),
    'wrapups.choose': (input) => wrapUps.choose(input),
    'wrapups.undo': ({ twilioCallSid }) => wrapUps.undo(twilioCallSid),
    'wrapups.setNote': ({ twilioCallSid, note }) => wrapUps.setNote(twilioCallSid, note),
    'wrapups.dismiss': ({ twilioCallSid }) => wrapUps.dismiss(twilioCallSid),
    'wrapups.setLocation': ({ locationId }) => wrapUps.setWorkLocation(locationId),
  };
}
