import { create } from 'zustand';
import type { ReportFiltersInput, ReportOptions, ReportRow, ReportSort, ReportSummary } from '../../../shared/cloud/reports';

/** Call Reporting's state: the filters (one set for figures, table and CSV), what the cloud or cache answered. */
export interface ReportsState {
  filters: ReportFiltersInput;
  sort: ReportSort;
  order: 'asc' | 'desc';
  options: ReportOptions | null;
  summary: ReportSummary | null;
  /** The table's rows by position (pages arrive as the table scrolls); `total` is the table's length. */
  rows: ReadonlyMap<number, ReportRow>;
  total: number;
  /** Bumped on every new query so a late page of an old query is dropped. */
  generation: number;
  loading: boolean;
  error: string | null;
  exportMessage: string | null;
  /** Whose report this is: another user signing in on this computer starts from nothing. */
  userId: string | null;
  set(patch: Partial<ReportsState>): void;
}

export const DEFAULT_FILTERS: ReportFiltersInput = { preset: 'last7' };

const EMPTY = {
  filters: DEFAULT_FILTERS,
  sort: 'startedAt',
  order: 'desc',
  options: null,
  summary: null,
  rows: new Map(),
  total: 0,
  generation: 0,
  loading: false,
  error: null,
  exportMessage: null,
  userId: null,
} satisfies Omit<ReportsState, 'set'>;

export const useReports = create<ReportsState>((set) => ({
  ...EMPTY,
  set: (patch) => set(patch),
}));

/** Forgets the previous user's filters and figures when someone else opens the report. */
export function reportsFor(userId: string | null): void {
  const state = useReports.getState();
  if (state.userId !== userId) state.set({ ...EMPTY, userId, generation: state.generation + 1 });
}
