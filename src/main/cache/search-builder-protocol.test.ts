import { describe, expect, it } from 'vitest';
import { recordCallIndexOps, replayCallIndexOps, type EncodedCallIndexOps } from './search-builder-protocol';
import type { CallIndexTarget, CallSearchFields } from './search-index';

describe('call index changes across the thread', () => {
  const inbound: CallSearchFields = { contactName: 'Ana Ruiz', direction: 'inbound', from: '+14155550123', to: '+13105550100', note: 'wants botox' };
  const outbound: CallSearchFields = { contactName: null, direction: 'outbound', from: '+13105550100', to: '+12125554567', note: null };

  it('arrive in order, as made: index, replace, unindex', () => {
    const ops: EncodedCallIndexOps = [];
    const recorder = recordCallIndexOps(ops);
    recorder.index(10, inbound, false);
    recorder.unindex(10);
    recorder.index(11, outbound, true);
    const seen: unknown[] = [];
    const target: CallIndexTarget = { index: (...args) => seen.push(['index', ...args]), unindex: (sortKey) => seen.push(['unindex', sortKey]) };
    // The structured clone a postMessage makes keeps them as they were.
    replayCallIndexOps(structuredClone(ops), target);
    expect(seen).toEqual([
      ['index', 10, inbound, false],
      ['unindex', 10],
      ['index', 11, outbound, true],
    ]);
  });

  it('a batch cut short is refused whole, not half applied', () => {
    const ops: EncodedCallIndexOps = [];
    recordCallIndexOps(ops).index(10, inbound, false);
    const seen: number[] = [];
    expect(() => replayCallIndexOps(ops.slice(0, -1), { index: (sortKey) => seen.push(sortKey), unindex: (sortKey) => seen.push(sortKey) })).toThrow(/cut/);
    expect(seen).toEqual([]);
  });
});
