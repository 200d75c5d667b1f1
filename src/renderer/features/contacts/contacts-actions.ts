import type { Contact } from '../../../shared/cloud';
import { getBridge } from '../../bridge';

/** How many contacts the page shows at most: the best matches, or with nothing typed the first A–Z. */
export const CONTACTS_SHOWN = 100;

/** Local full-text search over contacts (name, number, tag), or with nothing typed the contacts A–Z; null when main could not search. */
export async function searchContacts(query: string): Promise<Contact[] | null> {
  const result = await getBridge().search.query({ query: query.trim(), limit: CONTACTS_SHOWN });
  return result.ok ? result.value.contacts : null;
}

/** One contact from the local cache (an alert's target); null when it is not here or main could not read it. */
export async function getContact(contactId: string): Promise<Contact | null> {
  const result = await getBridge().contacts.get({ contactId });
  return result.ok ? result.value : null;
}
