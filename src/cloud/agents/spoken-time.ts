/**
 * "Tuesday at ten", "tomorrow at 2:30 pm", "Friday at 9am" → the next such moment in the practice's
 * time zone (never in the past). Null when the line names no day and hour. Used by the scripted agent.
 */
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, noon: 12 };

/** Offset of `timeZone` from UTC at `at`, in minutes. */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at.getTime()) / 60_000;
}

export function parseSpokenTime(line: string, now: Date, timeZone: string): Date | null {
  const text = line.toLowerCase();
  const day = /\b(today|tomorrow|sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(text)?.[1];
  const time = /\bat\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|in the morning|in the afternoon)?/.exec(text);
  if (!day || !time) return null;
  let hour = NUMBERS[time[1]!] ?? Number(time[1]);
  const minute = time[2] ? Number(time[2]) : 0;
  if (hour < 0 || hour > 23) return null;
  const suffix = time[3] ?? '';
  if (/p|afternoon/.test(suffix) && hour < 12) hour += 12;
  else if (!/a|morning/.test(suffix) && hour >= 1 && hour <= 6) hour += 12; // "at three": the afternoon
  if (/a|morning/.test(suffix) && hour === 12) hour = 0;

  // Today's date in the practice's zone, then the asked-for day.
  const offset = offsetMinutes(timeZone, now);
  const local = new Date(now.getTime() + offset * 60_000);
  let addDays = 0;
  if (day === 'tomorrow') addDays = 1;
  else if (day !== 'today') addDays = (DAYS.indexOf(day) - local.getUTCDay() + 7) % 7 || 7;
  const wallClock = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + addDays, hour, minute);
  const result = new Date(wallClock - offsetMinutes(timeZone, new Date(wallClock)) * 60_000);
  return result.getTime() > now.getTime() ? result : null;
}
