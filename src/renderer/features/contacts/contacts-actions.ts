import type { Contact } from '../../../shared/cloud';
import { getBridge } from '../../bridge';

/** Local full-text search over contacts (name, number, tag); null when main could not search. */
export async function searchContacts(query: string): Promise<Contact[] | null> {
  const result = await getBridge().search.query({ query: query.trim(), limit: 100 });
  return result.ok ? result.value.contacts : null;
}

/** One contact from the local cache (an alert's target); null when it is not here or main could not read it. */
export async function getContact(contactId: string): Promise<Contact | null> {
  const result = await getBridge().contacts.get({ contactId });
  return result.ok ? result.value : null;
}
