import type { CallCache } from '../../cache/cache';
import type { NamespaceHandlers } from '../router';

/** The screen pop's local lookup: works offline. */
export function contactsHandlers(deps: { cache: CallCache }): NamespaceHandlers<'contacts'> {
  return {
    'contacts.lookup': ({ number }) => deps.cache.contacts.findByPhone(number),
  };
}
