import { describe, expect, it } from 'vitest';
import { RoutingCache, type CallerContact, type NumberRoute } from './routing-cache';

const route = (accountId: string, overrides: Partial<NumberRoute> = {}): NumberRoute => ({
  id: 'num_1', accountId, locationId: null, number: '+13105550100', name: 'Main', forwardingNumber: null, callerIdMode: 'caller', callConnect: false,
  whisperMessage: null, recordCalls: false, ringTimeoutSeconds: 20, inboundRouting: 'ring_all', assignedUserId: null, ringAllUserIds: [], locationUserIds: ['u1'],
  ...overrides,
});
const contact: CallerContact = { id: 'con_1', name: 'Ada', tags: [], assignedUserId: null, dnd: null };

describe('RoutingCache', () => {
  it('keeps numbers and callers (including "none") until a change event for what they depend on', () => {
    const cache = new RoutingCache();
    cache.setNumber('+1', route('acc_a'), cache.numberGeneration());
    cache.setNumber('+2', null, cache.numberGeneration());
    cache.setContact('acc_a', '+9', contact, cache.contactGeneration());
    cache.setContact('acc_a', '+8', null, cache.contactGeneration());
    cache.setContact('acc_b', '+9', contact, cache.contactGeneration());
    expect(cache.number('+1')?.accountId).toBe('acc_a');
    expect(cache.number('+2')).toBeNull();
    expect(cache.number('+3')).toBeUndefined();
    expect(cache.contact('acc_a', '+8')).toBeNull();

    // Calls and dispositions change nothing routing depends on.
    cache.applyEvent({ a: 'acc_a', e: ['calls', 'dispositions'], u: { u1: ['notifications'] } });
    expect(cache.size).toEqual({ numbers: 2, contacts: 3 });

    // Contacts: only that account's callers go.
    cache.applyEvent({ a: 'acc_a', e: ['contacts'] });
    expect(cache.contact('acc_a', '+9')).toBeUndefined();
    expect(cache.contact('acc_a', '+8')).toBeUndefined();
    expect(cache.contact('acc_b', '+9')).toEqual(contact);
    expect(cache.number('+1')).toBeDefined();

    // Numbers, users, locations, the account: every number route goes (ring targets depend on users).
    for (const entity of ['phoneNumbers', 'users', 'locations', 'accounts'] as const) {
      cache.setNumber('+1', route('acc_a'), cache.numberGeneration());
      cache.applyEvent({ a: 'acc_z', e: [entity] });
      expect(cache.number('+1'), entity).toBeUndefined();
    }
    cache.setNumber('+1', route('acc_a'), cache.numberGeneration());
    cache.clear();
    expect(cache.size).toEqual({ numbers: 0, contacts: 0 });
  });

  it('does not store what a load read before an invalidation that happened while it ran', () => {
    const cache = new RoutingCache();
    const numberGen = cache.numberGeneration();
    const contactGen = cache.contactGeneration();
    cache.applyEvent({ a: 'acc_a', e: ['phoneNumbers', 'contacts'] }); // committed while the loads were in flight
    cache.setNumber('+1', route('acc_a'), numberGen);
    cache.setContact('acc_a', '+9', contact, contactGen);
    expect(cache.number('+1')).toBeUndefined();
    expect(cache.contact('acc_a', '+9')).toBeUndefined();
    // Even a contact change in another account (generations are cache-wide).
    const gen = cache.contactGeneration();
    cache.applyEvent({ a: 'acc_b', e: ['contacts'] });
    cache.setContact('acc_a', '+9', contact, gen);
    expect(cache.contact('acc_a', '+9')).toBeUndefined();
    cache.setContact('acc_a', '+9', contact, cache.contactGeneration());
    expect(cache.contact('acc_a', '+9')).toEqual(contact);
  });

  it('expires entries after the TTL and bounds the callers it keeps', () => {
    let now = 0;
    const cache = new RoutingCache({ ttlMs: 1000, maxContacts: 3, now: () => now });
    cache.setNumber('+1', route('acc_a'), cache.numberGeneration());
    cache.setContact('acc_a', '+9', contact, cache.contactGeneration());
    now = 999;
    expect(cache.number('+1')).toBeDefined();
    expect(cache.contact('acc_a', '+9')).toBeDefined();
    now = 1000;
    expect(cache.number('+1')).toBeUndefined();
    expect(cache.contact('acc_a', '+9')).toBeUndefined();
    expect(cache.size).toEqual({ numbers: 0, contacts: 0 });

    for (const from of ['+1', '+2', '+3', '+4', '+5']) cache.setContact('acc_a', from, null, cache.contactGeneration());
    expect(cache.size.contacts).toBe(3);
    expect(cache.contact('acc_a', '+1')).toBeUndefined(); // the oldest went first
    expect(cache.contact('acc_a', '+5')).toBeNull();
    cache.setContact('acc_b', '+1', null, cache.contactGeneration()); // another account when full: makes room
    expect(cache.size.contacts).toBeLessThanOrEqual(3);
    expect(cache.contact('acc_b', '+1')).toBeNull();
  });

  it('applies a change event once per account and kind: the same commit heard again (onCommitted, then NOTIFY) keeps what was loaded since', () => {
    const cache = new RoutingCache();
    cache.applyEvent({ a: 'acc_a', s: 10, e: ['contacts'] }); // onCommitted, at once
    cache.setContact('acc_a', '+9', contact, cache.contactGeneration()); // loaded after that commit
    cache.setNumber('+1', route('acc_a'), cache.numberGeneration());
    cache.applyEvent({ a: 'acc_a', s: 10, e: ['contacts'] }); // the same commit through NOTIFY
    cache.applyEvent({ a: 'acc_a', s: 7, e: ['contacts'] }); // an older commit, heard late: covered by s 10
    expect(cache.contact('acc_a', '+9')).toEqual(contact);

    // Other kinds and other accounts keep their own cursors.
    cache.applyEvent({ a: 'acc_a', s: 10, e: ['phoneNumbers'] });
    expect(cache.number('+1')).toBeUndefined();
    cache.setContact('acc_b', '+9', contact, cache.contactGeneration());
    cache.applyEvent({ a: 'acc_b', s: 3, e: ['contacts'] });
    expect(cache.contact('acc_b', '+9')).toBeUndefined();
    cache.setContact('acc_a', '+9', contact, cache.contactGeneration());
    // A newer commit applies; so does an event without a cursor (nothing to compare it with).
    cache.applyEvent({ a: 'acc_a', s: 11, e: ['contacts'] });
    expect(cache.contact('acc_a', '+9')).toBeUndefined();
    cache.setContact('acc_a', '+9', contact, cache.contactGeneration());
    cache.applyEvent({ a: 'acc_a', e: ['contacts'] });
    expect(cache.contact('acc_a', '+9')).toBeUndefined();
  });
});
