import type { Mutation } from '../../../shared/cloud';
import type { CallCache } from '../cache-port';
import { validate } from '../errors';
import { enqueueMutation, parseMutation } from '../outbox';
import * as queries from '../queries';
import { callSidSchema, entityIdSchema, setDispositionInputSchema } from '../types';
import { commitDisposition } from '../wrapups';
import type { PortContext } from './context';

/** Contacts and calls: the screen pop, History's small pages, and the local changes that go through the outbox. */
export function createCallsPorts({ db, now, writes }: PortContext): Pick<CallCache, 'contacts' | 'calls'> {
  return {
    contacts: {
      get: (id) => queries.getContact(db, validate(entityIdSchema, 'contact id', id)),
      findByPhone: (number) => queries.findByPhone(db, number),
      assignLocally: (contactId, assignedUserId, idempotencyKey) => {
        const mutation = parseMutation({ type: 'contact.update', idempotencyKey, payload: { contactId, assignedUserId } });
        const at = now();
        return writes.durable(() => enqueueMutation(db, mutation, at));
      },
    },
    calls: {
      get: (id) => queries.callWhere(db, 'c.id = ?', validate(entityIdSchema, 'call id', id)),
      getBySid: (sid) => queries.callWhere(db, 'c.twilio_call_sid = ?', validate(callSidSchema, 'call SID', sid)),
      history: (filters) => {
        writes.indexSearchBacklog();
        return queries.history(db, filters);
      },
      setDispositionLocally: (input) => {
        const parsed = validate(setDispositionInputSchema, 'disposition', input);
        const mutation = parseMutation({
          type: 'call.setDisposition',
          idempotencyKey: parsed.idempotencyKey,
          payload:
            parsed.note === undefined
              ? { callId: parsed.callId, dispositionId: parsed.dispositionId }
              : { callId: parsed.callId, dispositionId: parsed.dispositionId, note: parsed.note },
        }) as Extract<Mutation, { type: 'call.setDisposition' }>;
        const at = now();
        return writes.durable((searchLater) => commitDisposition(db, mutation, parsed.twilioCallSid, at, searchLater));
      },
    },
  };
}
