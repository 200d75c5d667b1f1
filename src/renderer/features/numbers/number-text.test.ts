import { describe, expect, it } from 'vitest';
import type { DeletedNumber } from '../../../shared/cloud/numbers';
import { capabilitiesText, formatMoney, priceSummary, restoreWindowText } from './number-text';

const usd = (micros: number) => ({ micros, currency: 'USD' });

describe('number text', () => {
  it.each([
    [1_150_000, '$1.15'],
    [8_500, '$0.0085'],
    [2_000_000, '$2.00'],
    [0, '$0.00'],
  ])('formats %i micros as %s', (micros, text) => expect(formatMoney(usd(micros))).toBe(text));

  it('names currencies it has no symbol for', () => expect(formatMoney({ micros: 1_000_000, currency: 'SEK' })).toBe('1.00 SEK'));

  it('summarises a price', () =>
    expect(priceSummary({ country: 'US', numberType: 'local', monthlyFee: usd(1_150_000), inboundPerMinute: usd(8_500), outboundPerMinute: usd(14_000) })).toBe(
      '$1.15/month · $0.0085/min in · $0.014/min out',
    ));

  it('lists capabilities', () => {
    expect(capabilitiesText({ voice: true, sms: true, mms: false, fax: true })).toBe('Voice, SMS');
    expect(capabilitiesText({ voice: false, sms: false, mms: false, fax: false })).toBe('None');
  });

  const deleted = (over: Partial<DeletedNumber>): DeletedNumber => ({
    id: 'num_1', number: '+14245550100', name: 'Front', country: 'US', numberType: 'local', status: 'held', deletedAt: '2026-01-01T00:00:00Z',
    deletedByName: 'Adam', releaseDueAt: '2026-01-11T00:00:00Z', releasedAt: null, daysLeft: 9, canRestore: true, ...over,
  });
  it('says how long is left to restore', () => {
    expect(restoreWindowText(deleted({}))).toBe('9 days left to restore');
    expect(restoreWindowText(deleted({ daysLeft: 1 }))).toBe('Last day to restore');
    expect(restoreWindowText(deleted({ daysLeft: 0, canRestore: false }))).toMatch(/window over/);
    expect(restoreWindowText(deleted({ status: 'released', daysLeft: null }))).toMatch(/cannot be restored/);
  });
});
