/**
 * The seed's Assign To fallback for Manual SMS / Manual Call tasks: the selected user if they can
 * access the contact; else the contact's owner; else Unassigned (null). A user can access a
 * contact when they are an admin, or the contact has no location, or it is one of their locations.
 */
export interface AssigneeFacts {
  selected: { id: string; role: 'admin' | 'user'; locationIds: string[]; deleted: boolean } | null;
  ownerId: string | null;
  ownerDeleted: boolean;
  contactLocationId: string | null;
}

export function chooseAssignee(f: AssigneeFacts): { userId: string | null; why: 'selected' | 'owner' | 'unassigned' } {
  const s = f.selected;
  if (s && !s.deleted && (s.role === 'admin' || f.contactLocationId === null || s.locationIds.includes(f.contactLocationId))) return { userId: s.id, why: 'selected' };
  if (f.ownerId && !f.ownerDeleted) return { userId: f.ownerId, why: 'owner' };
  return { userId: null, why: 'unassigned' };
}
