import type { ReportFiltersInput, ReportSort } from '../../../shared/cloud/reports';
import { getBridge } from '../../bridge';
import { useReports } from './reports-store';

/**
 * The reports feature's only door to main. Main answers from the cloud, or from this computer's
 * copy (own calls) when the cloud is unreachable; every answer says which, and the screen shows it.
 */

const store = () => useReports.getState();
export const PAGE_SIZE = 200;
const inFlight = new Set<string>();

export async function loadReportOptions(): Promise<void> {
  const result = await getBridge().reports.options();
  if (result.ok) store().set({ options: result.value });
  else store().set({ error: result.error.message });
}

/** Figures and the table's first page for the current filters (after a filter change or a live update). */
export async function refreshReport(): Promise<void> {
  const generation = store().generation + 1;
  const { filters, sort, order } = store();
  store().set({ generation, loading: true, exportMessage: null });
  inFlight.clear();
  const [summary, page] = await Promise.all([
    getBridge().reports.summary({ filters }),
    getBridge().reports.rows({ filters, sort, order, offset: 0, limit: PAGE_SIZE }),
  ]);
  if (store().generation !== generation) return; // a newer query started
  if (!summary.ok || !page.ok) {
    store().set({ loading: false, error: (!summary.ok ? summary.error : !page.ok ? page.error : null)?.message ?? 'The report failed.' });
    return;
  }
  store().set({
    loading: false,
    error: null,
    summary: summary.value,
    total: page.value.total ?? page.value.rows.length,
    rows: new Map(page.value.rows.map((row, i) => [i, row])),
  });
}

/** Fetches the page holding `index` if the table scrolled to rows not loaded yet. */
export async function ensureRows(index: number): Promise<void> {
  const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
  const { rows, generation, filters, sort, order } = store();
  const key = `${generation}:${offset}`;
  if (rows.has(offset) || inFlight.has(key)) return;
  inFlight.add(key);
  const page = await getBridge().reports.rows({ filters, sort, order, offset, limit: PAGE_SIZE });
  inFlight.delete(key);
  if (store().generation !== generation) return;
  if (!page.ok) {
    store().set({ error: page.error.message });
    return;
  }
  const next = new Map(store().rows);
  page.value.rows.forEach((row, i) => next.set(offset + i, row));
  store().set({ rows: next });
}

export function setFilters(patch: Partial<ReportFiltersInput>): Promise<void> {
  store().set({ filters: { ...store().filters, ...patch } });
  return refreshReport();
}

export function replaceFilters(filters: ReportFiltersInput): Promise<void> {
  store().set({ filters });
  return refreshReport();
}

/** Sorts by `sort`; the same column again flips the order. */
export function sortBy(sort: ReportSort): Promise<void> {
  const current = store();
  const order = current.sort === sort ? (current.order === 'desc' ? 'asc' : 'desc') : sort === 'startedAt' ? 'desc' : 'asc';
  store().set({ sort, order });
  return refreshReport();
}

/**
 * The CSV of exactly what is filtered, in the table's order, saved through the browser's download
 * (Electron asks where to save it).
 */
export async function exportCsv(): Promise<void> {
  const { filters, sort, order } = store();
  store().set({ exportMessage: 'Preparing the CSV…' });
  const result = await getBridge().reports.exportCsv({ filters, sort, order });
  if (!result.ok) {
    store().set({ exportMessage: `Export failed: ${result.error.message}` });
    return;
  }
  const blob = new Blob([result.value.csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = result.value.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  const lines = Math.max(0, result.value.csv.trimEnd().split('\r\n').length - 1);
  store().set({ exportMessage: `Saved ${result.value.fileName}: ${lines} call${lines === 1 ? '' : 's'}${result.value.origin === 'cache' ? ' (offline: your own calls from this computer)' : ''}.` });
}
