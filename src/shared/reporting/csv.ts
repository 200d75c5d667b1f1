import { REPORT_CSV_COLUMNS, type ReportRow } from '../cloud/reports';

/**
 * CSV as RFC 4180 writes it (CRLF, quotes doubled), safe to open in a spreadsheet: a text cell
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
 * Phone numbers and figures are written as they are; only free text can carry a formula.
 */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;
/** A phone number or a figure: nothing a spreadsheet could run. */
const PLAIN_NUMBER = /^[+-]?\d[\d.]*$/;

export function csvCell(value: string | number | null | undefined, kind: 'text' | 'plain' = 'text'): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (kind === 'text' && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const STATUS_LABELS: Record<ReportRow['status'], string> = {
  answered: 'Answered', missed: 'Missed', voicemail: 'Voicemail', blocked: 'Blocked', external: 'External', no_answer: 'No answer', live: 'Ringing',
};
const SOURCE_LABELS: Record<ReportRow['source'], string> = {
  softphone: 'Softphone', manual_task: 'Manual task', workflow: 'Workflow call', external: 'External / logged',
};

export const csvHeader = (): string => REPORT_CSV_COLUMNS.map((c) => csvCell(c)).join(',') + '\r\n';

/** A row as the CSV needs it: the table's columns plus the note's text and the practice-local date and time. */
export type CsvRow = ReportRow & { note: string | null; localDate: string; localTime: string };

export function csvLine(row: CsvRow): string {
  return [
    csvCell(row.localDate, 'plain'),
    csvCell(row.localTime, 'plain'),
    csvCell(row.contactName),
    csvCell(row.remoteNumber),
    csvCell(row.direction === 'inbound' ? 'Inbound' : 'Outbound'),
    csvCell(row.lineName),
    csvCell(row.userName),
    csvCell(row.teamNames.join('; ')),
    csvCell(STATUS_LABELS[row.status]),
    csvCell(SOURCE_LABELS[row.source]),
    csvCell(row.ringSeconds, 'plain'),
    csvCell(row.talkSeconds, 'plain'),
    csvCell(row.dispositionLabel === null ? null : row.dispositionDeleted ? `${row.dispositionLabel} (deleted)` : row.dispositionLabel),
    csvCell(row.note),
    csvCell(row.recordingUrl),
    csvCell(row.id, 'plain'),
  ].join(',') + '\r\n';
}
