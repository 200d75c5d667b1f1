/**
 * History's From/To fields hold the days picked (YYYY-MM-DD, as an <input type="date"> gives them);
 * only the query turns them into instants, in the computer's zone: the receptionist means her own
 * calendar day. The fields never show a value read back from an instant, which in UTC is another day.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight at the start of `day`, `plusDays` later; null for anything that is not a day. */
function localMidnight(day: string, plusDays: number): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  // By calendar fields, not by adding 24 h: a day with a DST change is 23 or 25 hours long.
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The query's `from` for a From day: the instant that day starts here. */
export function startOfDay(day: string): string | undefined {
  return localMidnight(day, 0)?.toISOString();
}

/** The query's `to` (exclusive) for a To day: the instant the next day starts here, so the whole day is in. */
export function endOfDay(day: string): string | undefined {
  return localMidnight(day, 1)?.toISOString();
}
