import { describe, expect, it } from 'vitest';
import { noDnd } from '../../shared/cloud/entities';
import { whoRings, type InboundDecision } from './inbound-routing';
import type { CallerContact, NumberRoute } from './routing-cache';

const number: NumberRoute = {
  id: 'num_1', accountId: 'acc_1', locationId: 'loc_1', number: '+13105550100', name: 'Main', forwardingNumber: null, callerIdMode: 'caller',
  callConnect: false, whisperMessage: null, recordCalls: false, ringTimeoutSeconds: 20, inboundRouting: 'ring_all', assignedUserId: null,
  ringAllUserIds: [], locationUserIds: ['usr_a', 'usr_b'],
};
const contact: CallerContact = { id: 'con_1', name: 'Olivia', tags: [], assignedUserId: 'usr_c', dnd: noDnd() };
const blockedContact: CallerContact = { ...contact, dnd: { ...noDnd(), call: { inbound: true, outbound: false } } };

describe('whoRings', () => {
  it.each([
    ['ring all with no list: the location’s users', {}, null, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
    ['ring all with an explicit list', { ringAllUserIds: ['usr_b'] }, contact, { kind: 'ring', userIds: ['usr_b'], reason: 'ring-all' }],
    ['ring all, nobody at the location: voicemail', { locationUserIds: [] }, null, { kind: 'voicemail' }],
    ['ring all ignores the contact’s assigned user', {}, contact, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
    ['a member’s Inbound Number rings the member, whatever the routing', { assignedUserId: 'usr_a', ringAllUserIds: ['usr_b'] }, contact, { kind: 'ring', userIds: ['usr_a'], reason: 'inbound-number' }],
    ['assigned routing: the number’s member first', { inboundRouting: 'assigned_member', assignedUserId: 'usr_a' }, contact, { kind: 'ring', userIds: ['usr_a'], reason: 'inbound-number' }],
    ['assigned routing: else the contact’s assigned user', { inboundRouting: 'assigned_member' }, contact, { kind: 'ring', userIds: ['usr_c'], reason: 'contact-owner' }],
    ['assigned routing, unknown caller: ring all (list)', { inboundRouting: 'assigned_member', ringAllUserIds: ['usr_b'] }, null, { kind: 'ring', userIds: ['usr_b'], reason: 'ring-all' }],
    ['assigned routing, unknown caller, no list: the location', { inboundRouting: 'assigned_member' }, null, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
    ['assigned routing, contact without an assignee: ring all', { inboundRouting: 'assigned_member' }, { ...contact, assignedUserId: null }, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
    ['assigned routing, nobody anywhere: voicemail', { inboundRouting: 'assigned_member', locationUserIds: [] }, null, { kind: 'voicemail' }],
    ['forwarding rings no softphone, even with a member', { forwardingNumber: '+14155550123', assignedUserId: 'usr_a' }, contact, { kind: 'forward', to: '+14155550123' }],
    ['inbound-call DND blocks before anything else', { forwardingNumber: '+14155550123' }, blockedContact, { kind: 'blocked' }],
    ['DND on another channel does not block', {}, { ...contact, dnd: { ...noDnd(), sms: { inbound: true, outbound: true } } }, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
    ['outbound-call DND does not block inbound calls', {}, { ...contact, dnd: { ...noDnd(), call: { inbound: false, outbound: true } } }, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
    ['a contact with no DND record', {}, { ...contact, dnd: null }, { kind: 'ring', userIds: ['usr_a', 'usr_b'], reason: 'location' }],
  ] as [string, Partial<NumberRoute>, CallerContact | null, InboundDecision][])('%s', (_name, overrides, caller, expected) => {
    expect(whoRings({ ...number, ...overrides }, caller)).toEqual(expected);
  });

  it('never rings anyone for a blocked caller, whatever the number says', () => {
    for (const inboundRouting of ['ring_all', 'assigned_member']) {
      for (const forwardingNumber of [null, '+14155550123']) {
        expect(whoRings({ ...number, inboundRouting, forwardingNumber, assignedUserId: 'usr_a', ringAllUserIds: ['usr_b'] }, blockedContact)).toEqual({ kind: 'blocked' });
      }
    }
  });

  it('follows the documented order over every combination: each step wins only when the ones before it do not apply', () => {
    const options = {
      dnd: [false, true], forward: [null, '+14155550123'], member: [null, 'usr_m'], routing: ['ring_all', 'assigned_member'],
      owner: [null, 'usr_o'], list: [[], ['usr_l']], location: [[], ['usr_x']], known: [false, true],
    } as const;
    let cases = 0;
    for (const dnd of options.dnd) for (const forward of options.forward) for (const member of options.member) for (const routing of options.routing)
      for (const owner of options.owner) for (const list of options.list) for (const location of options.location) for (const known of options.known) {
        const caller: CallerContact | null = known ? { ...contact, assignedUserId: owner, dnd: { ...noDnd(), call: { inbound: dnd, outbound: false } } } : null;
        const got = whoRings({ ...number, forwardingNumber: forward, assignedUserId: member, inboundRouting: routing, ringAllUserIds: [...list], locationUserIds: [...location] }, caller);
        const expected: InboundDecision =
          known && dnd ? { kind: 'blocked' }
          : forward ? { kind: 'forward', to: forward }
          : member ? { kind: 'ring', userIds: [member], reason: 'inbound-number' }
          : routing === 'assigned_member' && known && owner ? { kind: 'ring', userIds: [owner], reason: 'contact-owner' }
          : list.length > 0 ? { kind: 'ring', userIds: [...list], reason: 'ring-all' }
          : location.length > 0 ? { kind: 'ring', userIds: [...location], reason: 'location' }
          : { kind: 'voicemail' };
        expect(got).toEqual(expected);
        cases += 1;
      }
    expect(cases).toBe(256);
  });
});
