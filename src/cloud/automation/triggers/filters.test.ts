import { describe, expect, it } from 'vitest';
import { callDetailsMatch, callStatusFacts, tagFilterHolds, type CallFacts } from './filters';

const facts = (over: Partial<CallFacts> = {}): CallFacts => ({
  dispositionId: 'dsp_spam',
  direction: 'inbound',
  durationSeconds: 42,
  contactTags: ['vip', 'Botox'],
  statuses: new Set(['answered']),
  phoneNumberId: 'num_main',
  ...over,
});

describe('Call Details filters', () => {
  it.each([
    ['a matching disposition fires on the disposition', { dispositionIds: ['dsp_spam'] }, facts(), 'disposition', true],
    ['any of several dispositions', { dispositionIds: ['dsp_a', 'dsp_spam'] }, facts(), 'disposition', true],
    ['another disposition does not', { dispositionIds: ['dsp_booked'] }, facts(), 'disposition', false],
    ['a disposition filter never fires at hang-up', { dispositionIds: ['dsp_spam'] }, facts(), 'ended', false],
    ['no disposition filter fires at hang-up', {}, facts(), 'ended', true],
    ['no disposition filter never fires on a disposition', {}, facts(), 'disposition', false],
    ['a cleared disposition never fires', { dispositionIds: ['dsp_spam'] }, facts({ dispositionId: null }), 'disposition', false],
    ['direction', { direction: 'outbound' }, facts(), 'ended', false],
    ['duration ≥ holds at the bound', { durationSeconds: { gte: 42 } }, facts(), 'ended', true],
    ['duration ≥ fails below', { durationSeconds: { gte: 43 } }, facts(), 'ended', false],
    ['duration ≤', { durationSeconds: { lte: 30 } }, facts(), 'ended', false],
    ['unknown duration counts as 0', { durationSeconds: { lte: 0 } }, facts({ durationSeconds: null }), 'ended', true],
    ['tags any (case-insensitive)', { contactTags: { any: ['botox', 'laser'] } }, facts(), 'ended', true],
    ['tags all', { contactTags: { all: ['vip', 'laser'] } }, facts(), 'ended', false],
    ['tags none', { contactTags: { none: ['vip'] } }, facts(), 'ended', false],
    ['status missed vs answered', { callStatus: ['missed'] }, facts(), 'ended', false],
    ['status any of', { callStatus: ['missed', 'answered'] }, facts(), 'ended', true],
    ['line called', { phoneNumberIds: ['num_other'] }, facts(), 'ended', false],
    ['line called, unknown line', { phoneNumberIds: ['num_main'] }, facts({ phoneNumberId: null }), 'ended', false],
    ['everything together', { dispositionIds: ['dsp_spam'], direction: 'inbound', durationSeconds: { gte: 10, lte: 60 }, contactTags: { any: ['vip'] }, callStatus: ['answered'], phoneNumberIds: ['num_main'] }, facts(), 'disposition', true],
  ] as const)('%s', (_name, filters, f, moment, expected) => {
    expect(callDetailsMatch(filters as never, f, moment)).toBe(expected);
  });

  it('derives call status facts', () => {
    expect([...callStatusFacts({ status: 'rejected', answered_at: null, recordings: [] })]).toEqual(['blocked']);
    expect([...callStatusFacts({ status: 'completed', answered_at: '2024-01-01T00:00:00Z', recordings: [{ kind: 'call' }] })]).toEqual(['answered']);
    expect([...callStatusFacts({ status: 'missed', answered_at: null, recordings: [{ kind: 'voicemail' }] })].sort()).toEqual(['missed', 'voicemail']);
  });

  it('tag filters: absent filter holds; empty lists are ignored', () => {
    expect(tagFilterHolds(undefined, [])).toBe(true);
    expect(tagFilterHolds({ any: [], all: [], none: [] }, [])).toBe(true);
    expect(tagFilterHolds({ any: ['x'] }, [])).toBe(false);
  });
});
