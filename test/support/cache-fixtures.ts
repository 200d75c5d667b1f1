import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Call, Contact, Disposition, Notification, PullResponse, User } from '../../src/shared/cloud';
import { emptyPullChanges as emptyChanges, noDnd } from '../../src/shared/cloud';

/** Wire-shaped entities and pull pages for the cache's tests and benchmark. */

export const ACCOUNT = 'acc_1';

export function tempDir(prefix = 'cache-test-'): { dir: string; file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: join(dir, 'cache.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export { emptyChanges };

export function page(changes: Partial<PullResponse['changes']>, cursor: number, hasMore = false): PullResponse {
  return { changes: { ...emptyChanges(), ...changes }, cursor, hasMore };
}

export function user(id: string, over: Partial<User> = {}): User {
  return {
    id,
    accountId: ACCOUNT,
    email: `${id}@spa.example`,
    name: `User ${id}`,
    role: 'user',
    phone: null,
    locationIds: ['loc_1'],
    teamIds: [],
    inboundNumberId: null,
    twilioIdentity: `client_${id}`,
    seq: 1,
    deletedAt: null,
    ...over,
  };
}

export function disposition(id: string, label: string, position: number, over: Partial<Disposition> = {}): Disposition {
  return { id, accountId: ACCOUNT, label, position, seq: 1, deletedAt: null, ...over };
}

export function contact(id: string, name: string, phone: string | null, over: Partial<Contact> = {}): Contact {
  return {
    id,
    accountId: ACCOUNT,
    locationId: 'loc_1',
    name,
    phone,
    email: null,
    tags: [],
    assignedUserId: null,
    dnd: noDnd(),
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    seq: 1,
    deletedAt: null,
    ...over,
  };
}

export function call(id: string, over: Partial<Call> = {}): Call {
  return {
    id,
    accountId: ACCOUNT,
    locationId: 'loc_1',
    twilioCallSid: `CA${id}`,
    direction: 'inbound',
    source: 'softphone',
    from: '+14155550123',
    to: '+13105550100',
    phoneNumberId: 'num_1',
    userId: 'usr_1',
    contactId: null,
    rangUserIds: [],
    status: 'completed',
    startedAt: '2025-03-01T10:00:00.000Z',
    answeredAt: '2025-03-01T10:00:05.000Z',
    endedAt: '2025-03-01T10:03:00.000Z',
    durationSeconds: 175,
    recordings: [],
    dispositionId: null,
    note: null,
    seq: 1,
    ...over,
  };
}

export function notification(id: string, over: Partial<Notification> = {}): Notification {
  return {
    id,
    accountId: ACCOUNT,
    userId: 'usr_1',
    title: 'Missed call',
    message: 'You missed a call',
    redirect: null,
    readAt: null,
    createdAt: '2025-03-01T10:00:00.000Z',
    seq: 1,
    ...over,
  };
}

/** A small practice: two users, three dispositions, two contacts. */
export function seedPage(cursor = 10): PullResponse {
  return page(
    {
      accounts: [{ id: ACCOUNT, name: 'Glow Med Spa', timezone: 'America/Los_Angeles', seq: 1 }],
      locations: [{ id: 'loc_1', accountId: ACCOUNT, name: 'Downtown', timezone: 'America/Los_Angeles', seq: 1, deletedAt: null }],
      users: [user('usr_1', { name: 'Rita Reception' }), user('usr_2', { name: 'Adam Admin', role: 'admin' })],
      dispositions: [disposition('dsp_booked', 'Booked', 0), disposition('dsp_follow', 'Follow Up', 1), disposition('dsp_spam', 'Spam call', 2)],
      contacts: [
        contact('ct_jane', 'Jane Doe', '+14155550123', { tags: ['vip', 'botox'], email: 'jane@example.com', assignedUserId: 'usr_2' }),
        contact('ct_jose', 'José Álvarez', '+13125550199', { tags: ['filler'] }),
      ],
    },
    cursor,
  );
}
