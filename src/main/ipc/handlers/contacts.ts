import type { CallCache } from '../../cache/cache';
import type { NamespaceHandlers } from '../router';

/** The screen pop's local lookup and one contact by id (an alert's target): both work offline. */
export function contactsHandlers(deps: { cache: CallCache }): NamespaceHandlers<'contacts'> {
  return {
    'contacts.lookup': ({ number }) => deps.cache.contacts.findByPhone(number),
    'contacts.get': ({ contactId }) => deps.cache.contacts.get(contactId),
  };
}
