import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { ReportGate } from './gate';
import { timeSlices } from './summary';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('the report gate', () => {
  it('runs at most N at once, queues a few, refuses the rest at once, and passes slots on in order', async () => {
    const gate = new ReportGate(2, 1);
    const blockers = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const runs = blockers.map((b, i) => gate.run(async () => { order.push(i); await b.promise; return i; }));
    await Promise.resolve();
    expect(gate.busy).toEqual({ running: 2, waiting: 1 });
    await expect(gate.run(async () => 'late')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(order).toEqual([0, 1]);
    blockers[0]!.resolve();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    blockers[1]!.resolve();
    blockers[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(gate.busy).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work fails, and a held slot once however often it is released', async () => {
    const gate = new ReportGate(1, 0);
    await expect(gate.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    const release = await gate.hold();
    await expect(gate.run(async () => 1)).rejects.toBeInstanceOf(ApiError);
    release();
    release();
    expect(gate.busy).toEqual({ running: 0, waiting: 0 });
    expect(await gate.run(async () => 2)).toBe(2);
  });
});

describe('time slices', () => {
  it('cover the range exactly, the last one shorter', () => {
    expect(timeSlices('2024-03-01T00:00:00.000Z', '2024-03-20T00:00:00.000Z', 7 * 86_400_000)).toEqual([
      { startUtc: '2024-03-01T00:00:00.000Z', endUtc: '2024-03-08T00:00:00.000Z' },
      { startUtc: '2024-03-08T00:00:00.000Z', endUtc: '2024-03-15T00:00:00.000Z' },
      { startUtc: '2024-03-15T00:00:00.000Z', endUtc: '2024-03-20T00:00:00.000Z' },
    ]);
  });
});
