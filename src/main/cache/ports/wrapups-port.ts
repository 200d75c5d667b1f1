import type { WrapupsPort } from '../cache-port';
import { validate } from '../errors';
import { parseNow } from '../outbox';
import { callSidSchema, wrapupChoiceSchema, wrapupInputSchema, wrapupPickSchema } from '../types';
import type { PickTargets } from '../pick-targets';
import type { WrapupChoices } from '../wrapup-choices';
import { deleteWrapup, getWrapup, listWrapups, markWaitingForCall, reopenWrapup, upsertWrapup } from '../wrapups';
import type { PortContext } from './context';

/** Wrap-ups waiting for the receptionist's disposition; her choices go through `choices` (wrapup-choices.ts). */
export function createWrapupsPort({ db, now, writes }: PortContext, choices: WrapupChoices, targets: PickTargets): WrapupsPort {
  const sid = (value: string): string => validate(callSidSchema, 'call SID', value);
  return {
    upsert: (input) => {
      const w = validate(wrapupInputSchema, 'wrap-up', input);
      const at = now();
      return writes.write(() => upsertWrapup(db, w, at));
    },
    setChoice: (twilioCallSid, choice) => {
      const key = sid(twilioCallSid);
      return choices.store(key, validate(wrapupChoiceSchema, 'wrap-up choice', choice), now());
    },
    // The keystroke's path: one parse, the caller's checks on what the cache holds (in memory, see pick-targets.ts), then the durable point.
    pick: (input, check) => {
      const pick = validate(wrapupPickSchema, 'wrap-up pick', input);
      check(targets.target(pick.twilioCallSid, pick.dispositionId));
      return choices.store(pick.twilioCallSid, pick, now());
    },
    get: (twilioCallSid) => getWrapup(db, sid(twilioCallSid)),
    list: () => listWrapups(db),
    open: () => listWrapups(db, 'open'),
    waitingForCall: () => listWrapups(db, 'waitingForCall'),
    resolve: (twilioCallSid) => {
      const key = sid(twilioCallSid);
      return writes.write(() => deleteWrapup(db, key));
    },
    markWaitingForCall: (twilioCallSid, since) => {
      const key = sid(twilioCallSid);
      const at = parseNow(since);
      return writes.write(() => markWaitingForCall(db, key, at));
    },
    reopen: (twilioCallSid) => {
      const key = sid(twilioCallSid);
      const at = now();
      return writes.write(() => reopenWrapup(db, key, at));
    },
  };
}
