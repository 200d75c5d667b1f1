import { describe, expect, it } from 'vitest';
import { REPORT_CSV_COLUMNS } from '../cloud/reports';
import { csvCell, csvHeader, csvLine } from './csv';

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded ', '" padded "'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['@cmd', "'@cmd"],
    ['-2+3', "'-2+3"],
    ['+13105550100', '+13105550100'],
    ['=1,2', `"'=1,2"`],
    ['', ''],
  ])('%j → %s', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
  it('writes numbers and nothing as they are', () => {
    expect(csvCell(42, 'plain')).toBe('42');
    expect(csvCell(null)).toBe('');
  });
  it('a header and a line have one cell per column, CRLF-terminated', () => {
    expect(csvHeader()).toBe(REPORT_CSV_COLUMNS.join(',') + '\r\n');
    const line = csvLine({
      id: 'call_1', startedAt: '2024-03-10T10:00:00.000Z', direction: 'inbound', status: 'answered', source: 'softphone', contactId: null,
      contactName: 'Ava, Kim', remoteNumber: '+14155550100', lineId: 'num_1', lineName: 'Main', userId: 'u1', userName: 'Jordan', teamNames: ['A', 'B'],
      ringSeconds: 4, talkSeconds: 61, dispositionId: 'd1', dispositionLabel: 'Old', dispositionDeleted: true, hasNote: true,
      recordingUrl: null, transferredFromUserId: null, note: 'n', localDate: '2024-03-10', localTime: '03:00:00',
    });
    expect(line).toBe('2024-03-10,03:00:00,"Ava, Kim",+14155550100,Inbound,Main,Jordan,A; B,Answered,Softphone,4,61,Old (deleted),n,,call_1\r\n');
  });
});
