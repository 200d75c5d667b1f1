import type { Contact } from '../../../shared/cloud';
import { getBridge } from '../../bridge';

/** How many contacts the page shows at most: the best matches, or with nothing typed the first A–Z. */
export const CONTACTS_SHOWN = 100;

/**
 * Local full-text search over contacts (name, number, tag), or with nothing typed the contacts A–Z:
 * at most CONTACTS_SHOWN, and whether there are more. Null when main could not search.
 */
export async function searchContacts(query: string): Promise<{ contacts: Contact[]; more: boolean } | null> {
  const result = await getBridge().search.query({ query: query.trim(), limit: CONTACTS_SHOWN + 1 });
  if (!result.ok) return null;
  return { contacts: result.value.contacts.slice(0, CONTACTS_SHOWN), more: result.value.contacts.length > CONTACTS_SHOWN };
}

/** One contact from the local cache (an alert's target); null when it is not here or main could not read it. */
export async function getContact(contactId: string): Promise<Contact | null> {
  const result = await getBridge().contacts.get({ contactId });
  return result.ok ? result.value : null;
}

/** Assigns the contact to a team member, or to no one (null); the contact as it is now, or main's refusal. */
export async function assignContact(contactId: string, assignedUserId: string | null): Promise<{ ok: true; contact: Contact } | { ok: false; message: string }> {
  const result = await getBridge().contacts.assign({ contactId, assignedUserId });
  return result.ok ? { ok: true, contact: result.value } : { ok: false, message: result.error.message };
}
