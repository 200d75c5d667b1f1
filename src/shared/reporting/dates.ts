/**
 * Calendar dates and hours in a practice's time zone, computed with Intl only (no tz database of
 * our own), so the cloud, the desktop's cache worker and the renderer agree. A report's range is a
 * pair of local dates, inclusive; its instants are the first instant of `from` and of the day after
 * `to`. Where local midnight does not exist (a DST jump at midnight) a day starts at its first
 * existing instant — what PostgreSQL's `date::timestamp AT TIME ZONE tz` gives too.
 */

/** `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

/** The date's midnight as if it were UTC: for date arithmetic only. */
function utcMidnight(date: LocalDate): number {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`Not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}
const dateOfUtcMs = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

export const addDays = (date: LocalDate, days: number): LocalDate => dateOfUtcMs(utcMidnight(date) + days * DAY_MS);
/** Whole days from `a` to `b` (b − a). */
export const daysBetween = (a: LocalDate, b: LocalDate): number => Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (date: LocalDate): number => (new Date(utcMidnight(date)).getUTCDay() + 6) % 7;
/** The Monday on or before the date. */
export const weekStartOf = (date: LocalDate): LocalDate => addDays(date, -weekdayOf(date));

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (an IANA name such as America/Los_Angeles). */
export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock fields of an instant. */
function wallClock(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** Local time minus UTC at that instant, in ms (e.g. −7 h for Los Angeles in summer). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const wallAsUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return wallAsUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * A fast offset lookup for many instants (the cache worker's per-row use). A UTC day whose first
 * and last millisecond have the same offset is taken to have it throughout (zones change at most
 * twice a year, never back and forth within a day); a day with a change is resolved per quarter
 * hour, the granularity at which every current zone changes its offset.
 */
export function offsetLookup(timeZone: string): (ms: number) => number {
  const days = new Map<number, number | null>();
  const quarters = new Map<number, number>();
  const QUARTER = 900_000;
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let whole = days.get(day);
    if (whole === undefined) {
      const first = zoneOffsetMs(day * DAY_MS, timeZone);
      whole = first === zoneOffsetMs(day * DAY_MS + DAY_MS - 1, timeZone) ? first : null;
      days.set(day, whole);
    }
    if (whole !== null) return whole;
    const slot = Math.floor(ms / QUARTER);
    let offset = quarters.get(slot);
    if (offset === undefined) {
      offset = zoneOffsetMs(slot * QUARTER, timeZone);
      quarters.set(slot, offset);
    }
    return offset;
  };
}

/** The local date of an instant. */
export function localDateOf(ms: number, timeZone: string): LocalDate {
  return dateOfUtcMs(ms + zoneOffsetMs(ms, timeZone));
}

/** The first instant (UTC ms) of a local date. */
export function startOfLocalDate(date: LocalDate, timeZone: string): number {
  const naive = utcMidnight(date);
  // Local midnight is naive − offset for an offset in force within 14 h of it. Try the offsets in
  // force before and after that window; the day starts at the earliest candidate that shows this
  // date while the millisecond before shows an earlier one. A midnight skipped by a DST jump gives
  // the first instant after the gap; a midnight that happens twice gives the first of the two.
  const offsets = new Set([zoneOffsetMs(naive - 14 * 3_600_000, timeZone), zoneOffsetMs(naive + 14 * 3_600_000, timeZone), zoneOffsetMs(naive, timeZone)]);
  let best: number | undefined;
  for (const offset of offsets) {
    const t = naive - offset;
    if (localDateOf(t, timeZone) === date && localDateOf(t - 1, timeZone) < date && (best === undefined || t < best)) best = t;
  }
  if (best !== undefined) return best;
  // Not expected for real zones; fall back to a search for the first instant of the date.
  let lo = naive - 15 * 3_600_000;
  let hi = naive + 15 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDateOf(mid, timeZone) < date) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Local date, weekday (0 = Monday) and hour of an instant, given its zone offset. */
export function localParts(ms: number, offsetMs: number): { date: LocalDate; weekday: number; hour: number } {
  const local = new Date(ms + offsetMs);
  return { date: local.toISOString().slice(0, 10), weekday: (local.getUTCDay() + 6) % 7, hour: local.getUTCHours() };
}

export const DATE_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'thisMonth', 'custom'] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

/** The inclusive local dates a preset means on `today` (the practice's local date now). */
export function resolveRange(preset: DatePreset, today: LocalDate, custom?: { from?: LocalDate | undefined; to?: LocalDate | undefined }): { from: LocalDate; to: LocalDate } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'custom':
      if (!custom?.from || !custom.to) throw new RangeError('A custom range needs from and to');
      return { from: custom.from, to: custom.to };
  }
}

export type TimeBucket = 'hour' | 'day' | 'week';

/** Hours for a day or two, days up to a quarter, weeks (from Monday) beyond. */
export function bucketFor(range: { from: LocalDate; to: LocalDate }): TimeBucket {
  const days = daysBetween(range.from, range.to) + 1;
  if (days <= 2) return 'hour';
  if (days <= 92) return 'day';
  return 'week';
}

/** A call's time bucket key: `YYYY-MM-DDTHH` (hour), `YYYY-MM-DD` (day) or the week's Monday. */
export function bucketKey(bucket: TimeBucket, parts: { date: LocalDate; hour: number }): string {
  switch (bucket) {
    case 'hour':
      return `${parts.date}T${String(parts.hour).padStart(2, '0')}`;
    case 'day':
      return parts.date;
    case 'week':
      return weekStartOf(parts.date);
  }
}

/** Every bucket key of a range, in order (charts show empty buckets too). */
export function bucketKeys(bucket: TimeBucket, range: { from: LocalDate; to: LocalDate }): string[] {
  const keys: string[] = [];
  if (bucket === 'week') {
    for (let d = weekStartOf(range.from); d <= range.to; d = addDays(d, 7)) keys.push(d);
    return keys;
  }
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
    if (bucket === 'day') keys.push(d);
    else for (let h = 0; h < 24; h++) keys.push(bucketKey('hour', { date: d, hour: h }));
  }
  return keys;
}
