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
    ['ring all with no list: the location’s users', {}, null, { kind: 'ring', userIds: ['usr_a', 'usr_b'] }],
    ['ring all with an explicit list', { ringAllUserIds: ['usr_b'] }, contact, { kind: 'ring', userIds: ['usr_b'] }],
    ['ring all, nobody at the location: voicemail', { locationUserIds: [] }, null, { kind: 'voicemail' }],
    ['assigned member: the number’s member first', { inboundRouting: 'assigned_member', assignedUserId: 'usr_a' }, contact, { kind: 'ring', userIds: ['usr_a'] }],
    ['assigned member: else the contact’s assigned user', { inboundRouting: 'assigned_member' }, contact, { kind: 'ring', userIds: ['usr_c'] }],
    ['assigned member: nobody → voicemail', { inboundRouting: 'assigned_member' }, null, { kind: 'voicemail' }],
    ['assigned member: a contact without an assignee → voicemail', { inboundRouting: 'assigned_member' }, { ...contact, assignedUserId: null }, { kind: 'voicemail' }],
    ['forwarding rings no softphone', { forwardingNumber: '+14155550123' }, contact, { kind: 'forward', to: '+14155550123' }],
    ['inbound-call DND blocks before anything else', { forwardingNumber: '+14155550123' }, blockedContact, { kind: 'blocked' }],
    ['DND on another channel does not block', {}, { ...contact, dnd: { ...noDnd(), sms: { inbound: true, outbound: true } } }, { kind: 'ring', userIds: ['usr_a', 'usr_b'] }],
    ['outbound-call DND does not block inbound calls', {}, { ...contact, dnd: { ...noDnd(), call: { inbound: false, outbound: true } } }, { kind: 'ring', userIds: ['usr_a', 'usr_b'] }],
    ['a contact with no DND record', {}, { ...contact, dnd: null }, { kind: 'ring', userIds: ['usr_a', 'usr_b'] }],
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
});
