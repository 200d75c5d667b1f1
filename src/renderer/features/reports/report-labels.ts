import type { CallSource, ReportStatus } from '../../../shared/reporting/status';

/** Words the reports screens show for the wire's enums, and small formatters. Pure. */
export const STATUS_LABELS: Record<ReportStatus, string> = {
  answered: 'Answered',
  missed: 'Missed',
  voicemail: 'Voicemail',
  blocked: 'Blocked',
  external: 'Forwarded (external)',
  no_answer: 'No answer (outbound)',
  live: 'In progress',
};
export const SOURCE_LABELS: Record<CallSource, string> = {
  softphone: 'Softphone',
  manual_task: 'Manual task',
  workflow: 'Workflow call',
  external: 'Forwarded',
};
export const PRESET_LABELS = { today: 'Today', yesterday: 'Yesterday', last7: 'Last 7 days', last30: 'Last 30 days', thisMonth: 'This month', custom: 'Custom range' } as const;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** 75 → "1:15"; null → "—". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export const formatPct = (pct: number | null): string => (pct === null ? '—' : `${pct.toFixed(1)}%`);

/** 0 → "12 am", 13 → "1 pm". */
export const hourLabel = (hour: number): string => `${hour % 12 === 0 ? 12 : hour % 12} ${hour < 12 ? 'am' : 'pm'}`;

/**
 * Series colours for dispositions: distinct hues dark enough for white text in light mode and
 * light enough against the dark surface (checked for 3:1 against both backgrounds).
 */
export const SERIES_COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626', '#9333ea', '#ca8a04', '#0d9488', '#64748b'];
