import type { CallCache } from '../../cache/cache';
import { newIdempotencyKey } from '../../cache/idempotency-key';
import { IpcFailure } from '../../../shared/ipc/result';
import type { NamespaceHandlers } from '../router';

export interface ContactHandlerDeps {
  cache: CallCache;
  kickSync: () => void;
  onLocalChange: (entities: string[]) => void;
}

/**
 * The screen pop's local lookup and one contact by id (an alert's target): both work offline. A
 * contact's assigned team member (whom "ring the caller's assigned user" routing rings) is changed
 * here at once and reaches the cloud through the outbox.
 */
export function contactsHandlers(deps: ContactHandlerDeps): NamespaceHandlers<'contacts'> {
  const { cache } = deps;
  return {
    'contacts.lookup': ({ number }) => cache.contacts.findByPhone(number),
    'contacts.get': ({ contactId }) => cache.contacts.get(contactId),
    'contacts.assign': ({ contactId, assignedUserId }) => {
      const contact = cache.contacts.get(contactId);
      if (!contact) throw new IpcFailure('NOT_FOUND', 'That contact is no longer on this computer.');
      if (assignedUserId !== null && !cache.directory.users().some((u) => u.id === assignedUserId)) {
        throw new IpcFailure('NOT_FOUND', 'That team member is no longer in the practice. Pick another.');
      }
      if (contact.assignedUserId === assignedUserId) return contact;
      cache.contacts.assignLocally(contactId, assignedUserId, newIdempotencyKey('contact-assign'));
      deps.onLocalChange(['contacts']);
      deps.kickSync();
      return cache.contacts.get(contactId) ?? contact;
    },
  };
}
