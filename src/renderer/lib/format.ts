/**
 * One way to write times and lengths everywhere in the window: "Dec 1, 2:05 PM", "Dec 1, 2026",
 * "1:05". Pure; the time zone is the practice's when a screen knows it, else the computer's.
 */

const PATTERNS = {
  dayTime: { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  dayTimeYear: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  day: { month: 'short', day: 'numeric' },
  dayYear: { year: 'numeric', month: 'short', day: 'numeric' },
  year: { year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
type Pattern = keyof typeof PATTERNS;

/** Building a formatter is the costly part (History formats thousands of rows): one per pattern and zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(pattern: Pattern, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${pattern}|${timeZone ?? ''}`;
  let format = formatters.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, { ...PATTERNS[pattern], ...(timeZone ? { timeZone } : {}) });
    } catch {
      // An unknown zone name from the cloud: the computer's zone rather than no time at all.
      format = new Intl.DateTimeFormat(undefined, PATTERNS[pattern]);
    }
    formatters.set(key, format);
  }
  return format;
}

/** Whether `date` falls in the current year as seen in the zone it is written in (Dec 31 in Tokyo is already Jan 1). */
function inThisYear(date: Date, timeZone: string | undefined): boolean {
  const year = formatter('year', timeZone);
  return year.format(date) === year.format(new Date());
}

const toDate = (at: string | number | Date): Date | null => {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** "Dec 1, 2:05 PM" ("Dec 1, 2025, 2:05 PM" when it is not this year). */
export function formatDateTime(at: string | number | Date, timeZone?: string): string {
  const date = toDate(at);
  if (!date) return '';
  return formatter(inThisYear(date, timeZone) ? 'dayTime' : 'dayTimeYear', timeZone).format(date);
}

/** "Dec 1" ("Dec 1, 2025" when it is not this year): a day without its time, e.g. a caller's last call. */
export function formatDay(at: string | number | Date, timeZone?: string): string {
  const date = toDate(at);
  if (!date) return '';
  return formatter(inThisYear(date, timeZone) ? 'day' : 'dayYear', timeZone).format(date);
}

/** "Dec 1, 2026". */
export function formatDate(at: string | number | Date, timeZone?: string): string {
  const date = toDate(at);
  if (!date) return '';
  return formatter('dayYear', timeZone).format(date);
}

/** A call's length as m:ss (h:mm:ss past an hour); empty when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}
