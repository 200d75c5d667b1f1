import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Queryable } from '../db';
import type { ChangeEvent } from '../db/unit-of-work';
import { LastKnownRoutes } from './fallback';
import { RoutesRefresher } from './routes-refresher';

/** A phone_numbers row as readNumberRoutes selects it. */
const row = (number: string, accountId: string, ringAll: string[]) => ({
  id: `num_${number.slice(-4)}`, account_id: accountId, location_id: null, number, name: 'Line', forwarding_number: null, caller_id_mode: 'caller',
  call_connect: false, whisper_message: null, record_calls: false, ring_timeout_seconds: 20, inbound_routing: 'ring_all', assigned_user_id: null,
  ring_all_user_ids: ringAll, location_users: [],
});

function setup() {
  let rows = [row('+13105550100', 'acc_1', ['usr_a']), row('+13105550200', 'acc_2', ['usr_z'])];
  const reads: (string | null)[] = [];
  let failing = false;
  const db = {
    query: async (_sql: string, params: unknown[]) => {
      const accountId = params[0] as string | null;
      reads.push(accountId);
      if (failing) throw new Error('connect ECONNREFUSED');
      return rows.filter((r) => accountId === null || r.account_id === accountId);
    },
  } as unknown as Queryable;
  const warnings: object[] = [];
  const lastKnown = new LastKnownRoutes();
  const refresher = new RoutesRefresher(db, lastKnown, { warn: (fields: object) => void warnings.push(fields) }, 1000);
  return {
    lastKnown, refresher, reads, warnings,
    setRows: (next: typeof rows) => (rows = next),
    fail: (on: boolean) => (failing = on),
  };
}

const event = (a: string, e: ChangeEvent['e']): ChangeEvent => ({ a, e, s: 1 });

describe('RoutesRefresher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads every number a moment after start, so the fallback can ring before any call', async () => {
    const { refresher, lastKnown, reads } = setup();
    refresher.start(2000);
    expect(reads).toEqual([]); // off the start's path
    await vi.advanceTimersByTimeAsync(2000);
    expect(reads).toEqual([null]);
    expect(lastKnown.number('+13105550100')?.ringAllUserIds).toEqual(['usr_a']);
    expect(lastKnown.number('+13105550200')?.accountId).toBe('acc_2');
    refresher.close();
  });

  it('reads an account’s numbers again after changes that may reroute them, once per window, and forgets its numbers that are gone', async () => {
    const { refresher, lastKnown, reads, setRows } = setup();
    await refresher.refresh(null);
    reads.length = 0;
    setRows([row('+13105550300', 'acc_1', ['usr_b']), row('+13105550200', 'acc_2', ['usr_y'])]);
    for (let i = 0; i < 5; i++) refresher.applyEvent(event('acc_1', ['phoneNumbers']));
    refresher.applyEvent(event('acc_1', ['users']));
    refresher.applyEvent(event('acc_1', ['contacts'])); // no routing in it
    refresher.applyEvent(event('acc_2', ['calls']));
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toEqual(['acc_1']);
    expect(lastKnown.number('+13105550100')).toBeUndefined();
    expect(lastKnown.number('+13105550300')?.ringAllUserIds).toEqual(['usr_b']);
    // Another account's numbers are left as they were read.
    expect(lastKnown.number('+13105550200')?.ringAllUserIds).toEqual(['usr_z']);
    refresher.close();
  });

  it('keeps what it knew when the database cannot be read, and says so', async () => {
    const { refresher, lastKnown, warnings, fail } = setup();
    await refresher.refresh(null);
    fail(true);
    refresher.clear(); // a gap in the events: read everything again
    await vi.advanceTimersByTimeAsync(1000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ accountId: null });
    expect(lastKnown.number('+13105550100')?.ringAllUserIds).toEqual(['usr_a']);
    refresher.close();
  });

  it('reads nothing once closed', async () => {
    const { refresher, reads } = setup();
    refresher.start(2000);
    refresher.applyEvent(event('acc_1', ['phoneNumbers']));
    refresher.close();
    refresher.applyEvent(event('acc_1', ['phoneNumbers']));
    await vi.advanceTimersByTimeAsync(5000);
    expect(reads).toEqual([]);
  });
});
