import { beforeEach, describe, expect, it } from 'vitest';
import { disposition, page, seedPage, user } from '../../../../test/support/cache-fixtures';
import { useTempCache } from '../../../../test/support/temp-cache';
import type { User } from '../../../shared/cloud';
import { dispositionsHandlers } from './dispositions';

const t = useTempCache({ prefix: 'disposition-handlers-' });
let kicks = 0;
let changes: string[][] = [];
let me: User;

const handlers = () =>
  dispositionsHandlers({
    cache: t.cache,
    session: { get user() { return me; } },
    kickSync: () => void kicks++,
    onLocalChange: (entities) => changes.push(entities),
  });
const call0 = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

beforeEach(() => {
  t.cache.applyPull(seedPage());
  kicks = 0;
  changes = [];
  me = user('usr_1');
});

describe('disposition admin handlers', () => {
  it('refuses a receptionist', () => {
    expect(() => call0(handlers()['dispositions.admin'], { action: 'create', label: 'Price shopper' })).toThrow(/Only account admins/);
    expect(t.cache.outbox.pendingCount()).toBe(0);
  });

  it('queues an admin’s change through the outbox', () => {
    me = user('usr_2', { role: 'admin' });
    call0(handlers()['dispositions.admin'], { action: 'rename', dispositionId: 'dsp_follow', label: 'Follow-up needed' });
    expect(t.cache.outbox.peekBatch(10, Date.now()).map((e) => e.mutation)).toEqual([
      expect.objectContaining({ type: 'disposition.rename', payload: { dispositionId: 'dsp_follow', label: 'Follow-up needed' } }),
    ]);
    expect(changes).toEqual([['dispositions']]);
  });

  it('enforces the limit of 10 with a clear message', () => {
    me = user('usr_2', { role: 'admin' });
    t.cache.applyPull(page({ dispositions: Array.from({ length: 10 }, (_, i) => disposition(`dsp_${i}`, `D${i}`, i)) }, 20));
    expect(() => call0(handlers()['dispositions.admin'], { action: 'create', label: 'One too many' })).toThrow(/already have 10 dispositions/);
  });
});
