/**
 * One way to write times and lengths everywhere in the window: "Dec 1, 2:05 PM", "Dec 1, 2026",
 * "1:05". Pure; the time zone is the practice's when a screen knows it, else the computer's.
 */

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

const cached = (cache: Map<string, Intl.DateTimeFormat>, timeZone: string | undefined, options: Intl.DateTimeFormatOptions) => {
  const key = timeZone ?? '';
  let format = cache.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, { ...options, ...(timeZone ? { timeZone } : {}) });
    } catch {
      // An unknown zone name from the cloud: the computer's zone rather than no time at all.
      format = new Intl.DateTimeFormat(undefined, options);
    }
    cache.set(key, format);
  }
  return format;
};

/** "Dec 1, 2:05 PM" (the year too when it is not this year). */
export function formatDateTime(at: string | number | Date, timeZone?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return thisYear
    ? cached(dateTimeFormats, timeZone, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date)
    : cached(dateFormats, `${timeZone ?? ''}|y`, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
}

/** "Dec 1, 2026". */
export function formatDate(at: string | number | Date, timeZone?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return cached(dateFormats, timeZone, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
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
