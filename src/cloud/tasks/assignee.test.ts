import { describe, expect, it } from 'vitest';
import { chooseAssignee, type AssigneeFacts } from './assignee';

const user = (over: Partial<NonNullable<AssigneeFacts['selected']>> = {}): NonNullable<AssigneeFacts['selected']> => ({
  id: 'usr_sel', role: 'user', locationIds: ['loc_a'], deleted: false, ...over,
});

describe('Assign To fallback: selected user with access → contact owner → Unassigned', () => {
  const table: [string, AssigneeFacts, string | null, 'selected' | 'owner' | 'unassigned'][] = [
    ['selected user at the contact’s location', { selected: user(), ownerId: 'usr_own', ownerDeleted: false, contactLocationId: 'loc_a' }, 'usr_sel', 'selected'],
    ['selected user, contact without a location', { selected: user(), ownerId: 'usr_own', ownerDeleted: false, contactLocationId: null }, 'usr_sel', 'selected'],
    ['selected admin at another location', { selected: user({ role: 'admin', locationIds: [] }), ownerId: null, ownerDeleted: false, contactLocationId: 'loc_b' }, 'usr_sel', 'selected'],
    ['selected user without access → owner', { selected: user(), ownerId: 'usr_own', ownerDeleted: false, contactLocationId: 'loc_b' }, 'usr_own', 'owner'],
    ['selected user deleted → owner', { selected: user({ deleted: true }), ownerId: 'usr_own', ownerDeleted: false, contactLocationId: 'loc_a' }, 'usr_own', 'owner'],
    ['no selected user → owner', { selected: null, ownerId: 'usr_own', ownerDeleted: false, contactLocationId: 'loc_a' }, 'usr_own', 'owner'],
    ['no access, no owner → Unassigned', { selected: user(), ownerId: null, ownerDeleted: false, contactLocationId: 'loc_b' }, null, 'unassigned'],
    ['no access, owner deleted → Unassigned', { selected: user(), ownerId: 'usr_own', ownerDeleted: true, contactLocationId: 'loc_b' }, null, 'unassigned'],
    ['nobody at all → Unassigned', { selected: null, ownerId: null, ownerDeleted: false, contactLocationId: null }, null, 'unassigned'],
  ];
  it.each(table)('%s', (_name, facts, userId, why) => {
    expect(chooseAssignee(facts)).toEqual({ userId, why });
  });
});
