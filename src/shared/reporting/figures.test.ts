import { describe, expect, it } from 'vitest';
import { ReportAccumulator, emptyTotals, tilesOf } from './figures';

describe('report figures', () => {
  it('tiles are percentages of all calls and averages over the calls they apply to, one decimal, null when there is nothing', () => {
    expect(tilesOf(emptyTotals())).toEqual({ totalCalls: 0, answeredPct: null, missedPct: null, avgSpeedToAnswerSeconds: null, avgTalkSeconds: null, dispositionPct: null });
    expect(tilesOf({ ...emptyTotals(), calls: 3, answered: 2, missed: 0, voicemail: 1, withDisposition: 1, answeredInbound: 2, speedToAnswerSeconds: 7, talkedCalls: 1, talkSeconds: 100 })).toEqual({
      totalCalls: 3, answeredPct: 66.7, missedPct: 33.3, avgSpeedToAnswerSeconds: 3.5, avgTalkSeconds: 100, dispositionPct: 33.3,
    });
  });

  it('partial results add up, and a user in two teams counts in both', () => {
    const acc = new ReportAccumulator();
    acc.addTotals({ calls: 2, answered: 1 });
    acc.addTotals({ calls: 1, missed: 1 });
    acc.addUser('u1', 'd1', 2);
    acc.addUser('u1', null, 1);
    acc.addUser('u2', 'd1', 1);
    acc.addBucket('2024-03-10', 'd1', 1);
    acc.addBucket('2024-03-10', 'd1', 2);
    acc.addHeat(6, 9, 3, 1);
    const s = acc.summary({
      timezone: 'UTC', scope: 'account', range: { from: '2024-03-09', to: '2024-03-11', startUtc: 'a', endUtc: 'b' }, bucket: 'day',
      teamsOfUser: new Map([['u1', ['t1', 't2']], ['u2', ['t2']]]), generatedAt: 'now', origin: 'cloud',
    });
    expect(s.totals).toMatchObject({ calls: 3, answered: 1, missed: 1 });
    expect(s.byUser).toEqual([{ key: 'u1', counts: { d1: 2, none: 1 }, total: 3 }, { key: 'u2', counts: { d1: 1 }, total: 1 }]);
    expect(s.byTeam).toEqual([{ key: 't2', counts: { d1: 3, none: 1 }, total: 4 }, { key: 't1', counts: { d1: 2, none: 1 }, total: 3 }]);
    expect(s.overTime).toEqual([
      { key: '2024-03-09', counts: {}, total: 0 },
      { key: '2024-03-10', counts: { d1: 3 }, total: 3 },
      { key: '2024-03-11', counts: {}, total: 0 },
    ]);
    expect(s.heatmap.calls[6]![9]).toBe(3);
    expect(s.heatmap.missed[6]![9]).toBe(1);
  });
});
