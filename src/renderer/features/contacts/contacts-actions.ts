import type { Contact } from '../../../shared/cloud';
import { getBridge } from '../../bridge';

/** Local full-text search over contacts (name, number, tag); null when main could not search. */
export async function searchContacts(query: string): Promise<Contact[] | null> {
  const result = await getBridge().search.query({ query: query.trim(), limit: 100 });
  return result.ok ? result.value.contacts : null;
}
