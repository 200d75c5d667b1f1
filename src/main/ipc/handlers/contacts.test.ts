import { describe, expect, it, vi } from 'vitest';
import { page, seedPage, user } from '../../../../test/support/cache-fixtures';
import { useTempCache } from '../../../../test/support/temp-cache';
import { contactsHandlers } from './contacts';

describe('contacts handlers: assigning a contact to a team member', () => {
  const t = useTempCache({ now: () => 1_000_000 });
  const setUp = () => {
    t.cache.applyPull(seedPage(10));
    const deps = { cache: t.cache, kickSync: vi.fn(), onLocalChange: vi.fn() };
    return { deps, handlers: contactsHandlers(deps) };
  };

  it('assigns through the outbox and returns the contact as it is now', async () => {
    const { deps, handlers } = setUp();
    const contact = await handlers['contacts.assign']({ contactId: 'ct_jane', assignedUserId: 'usr_1' }, {} as never);
    expect(contact.assignedUserId).toBe('usr_1');
    expect(t.cache.outbox.pendingCount()).toBe(1);
    expect(deps.onLocalChange).toHaveBeenCalledWith(['contacts']);
    expect(deps.kickSync).toHaveBeenCalledTimes(1);
    // Unassigning is a change too.
    expect((await handlers['contacts.assign']({ contactId: 'ct_jane', assignedUserId: null }, {} as never)).assignedUserId).toBeNull();
    expect(t.cache.outbox.pendingCount()).toBe(2);
  });

  it('the same member again sends nothing', async () => {
    const { deps, handlers } = setUp();
    expect((await handlers['contacts.assign']({ contactId: 'ct_jane', assignedUserId: 'usr_2' }, {} as never)).assignedUserId).toBe('usr_2');
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(deps.kickSync).not.toHaveBeenCalled();
  });

  it('refuses an unknown contact, a member not in the practice and a removed member, writing nothing', async () => {
    const { handlers } = setUp();
    t.cache.applyPull(page({ users: [user('usr_gone', { name: 'Former Member', deletedAt: '2026-01-01T00:00:00.000Z', seq: 2 })] }, 11));
    await expect(async () => handlers['contacts.assign']({ contactId: 'ct_nobody', assignedUserId: 'usr_1' }, {} as never)).rejects.toThrow('That contact is no longer on this computer.');
    await expect(async () => handlers['contacts.assign']({ contactId: 'ct_jane', assignedUserId: 'usr_other_practice' }, {} as never)).rejects.toThrow(
      'That team member is no longer in the practice. Pick another.',
    );
    await expect(async () => handlers['contacts.assign']({ contactId: 'ct_jane', assignedUserId: 'usr_gone' }, {} as never)).rejects.toThrow('no longer in the practice');
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.contacts.get('ct_jane')?.assignedUserId).toBe('usr_2');
  });
});
