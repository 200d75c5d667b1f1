import { describe, expect, it } from 'vitest';
import { contact, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';

// ct_jane starts assigned to usr_2 in the seed; the desk reassigns her to usr_1.
describe("a contact's assigned team member, changed at this desk", () => {
  const t = useTempCache();
  const applied = (idempotencyKey: string) => ({ idempotencyKey, status: 'applied' as const, replayed: false, entity: 'contacts', entityId: 'ct_jane', seq: 20 });
  const rejected = (idempotencyKey: string) => ({ idempotencyKey, status: 'rejected' as const, replayed: false, code: 'VALIDATION_FAILED', message: 'assignedUserId: no such user in this account' });

  it('shows at once and waits in the outbox as a contact.update', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.contacts.assignLocally('ct_jane', 'usr_1', 'key-assign-1');
    expect(t.cache.contacts.get('ct_jane')?.assignedUserId).toBe('usr_1');
    expect(t.cache.outbox.get('key-assign-1')?.mutation).toMatchObject({ type: 'contact.update', payload: { contactId: 'ct_jane', assignedUserId: 'usr_1' } });
  });

  it("stays on top of the cloud's value when a pull brings the contact before the push is confirmed", () => {
    t.cache.applyPull(seedPage(10));
    t.cache.contacts.assignLocally('ct_jane', null, 'key-assign-1');
    // Another field changed in the cloud; its assignee is still the old one there.
    t.cache.applyPull(page({ contacts: [contact('ct_jane', 'Jane Smith', '+14155550123', { assignedUserId: 'usr_2', seq: 5 })] }, 11));
    expect(t.cache.contacts.get('ct_jane')).toMatchObject({ name: 'Jane Smith', assignedUserId: null });
  });

  it("becomes the cloud's value when applied, and a later rejection of another change falls back to it", () => {
    t.cache.applyPull(seedPage(10));
    t.cache.contacts.assignLocally('ct_jane', 'usr_1', 'key-assign-1');
    t.cache.outbox.ack([applied('key-assign-1')]);
    t.cache.contacts.assignLocally('ct_jane', null, 'key-assign-2');
    expect(t.cache.contacts.get('ct_jane')?.assignedUserId).toBeNull();
    const outcome = t.cache.outbox.ack([rejected('key-assign-2')]);
    expect(outcome.rejected.map((e) => e.idempotencyKey)).toEqual(['key-assign-2']);
    expect(t.cache.contacts.get('ct_jane')?.assignedUserId).toBe('usr_1');
  });

  it("a rejected change goes back to the cloud's value", () => {
    t.cache.applyPull(seedPage(10));
    t.cache.contacts.assignLocally('ct_jane', 'usr_1', 'key-assign-1');
    t.cache.outbox.ack([rejected('key-assign-1')]);
    expect(t.cache.contacts.get('ct_jane')?.assignedUserId).toBe('usr_2');
  });
});
