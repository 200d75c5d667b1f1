import { describe, expect, it } from 'vitest';
import { currentLane, runInLane } from './lanes';
import { openPglite } from './pglite';
import { PriorityLock } from './priority-lock';

describe('lanes', () => {
  it('is default outside any lane and follows awaits inside one', async () => {
    expect(currentLane()).toBe('default');
    await runInLane('webhook', async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentLane()).toBe('webhook');
    });
    expect(currentLane()).toBe('default');
  });
});

describe('PriorityLock', () => {
  it('hands the lock to waiting webhook work before waiting default work, default work in arrival order', async () => {
    const lock = new PriorityLock();
    const order: string[] = [];
    let release!: () => void;
    const holder = lock.run(() => new Promise<void>((r) => (release = r)));
    const jobs = [
      lock.run(async () => void order.push('default 1')),
      lock.run(async () => void order.push('default 2')),
      runInLane('webhook', () => lock.run(async () => void order.push('webhook 1'))),
      lock.run(async () => void order.push('default 3')),
      runInLane('webhook', () => lock.run(async () => void order.push('webhook 2'))),
    ];
    await new Promise((r) => setImmediate(r)); // the holder runs; the others wait
    expect(lock.queued).toBe(5);
    release();
    await Promise.all([holder, ...jobs]);
    expect(order).toEqual(['webhook 1', 'webhook 2', 'default 1', 'default 2', 'default 3']);
  });

  it('releases the lock when the work throws', async () => {
    const lock = new PriorityLock();
    await expect(lock.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('PGlite with lanes', () => {
  it('runs a webhook statement before the default statements queued behind an open transaction', { timeout: 120_000 }, async () => {
    const db = await openPglite('memory://');
    try {
      const order: string[] = [];
      let release!: () => void;
      let opened!: () => void;
      const open = new Promise<void>((r) => (opened = r));
      const held = db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        opened();
        await new Promise<void>((r) => (release = r));
      });
      await open; // the transaction holds the connection
      const waiting = [
        ...Array.from({ length: 5 }, (_, i) => db.query('SELECT $1::int AS n', [i]).then(() => void order.push(`default ${i}`))),
        runInLane('webhook', () => db.transaction(async (tx) => tx.query('SELECT 1')).then(() => void order.push('webhook'))),
      ];
      release();
      await Promise.all([held, ...waiting]);
      expect(order[0]).toBe('webhook');
      expect(order).toHaveLength(6);
    } finally {
      await db.close();
    }
  });
});
