import type { AnswerWhen, BusinessHours } from '../../shared/cloud/agents';

/** Whether `at` falls inside the practice's business hours, in their time zone. */
export function withinBusinessHours(hours: BusinessHours, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  const time = `${get('hour')}:${get('minute')}`;
  return hours.days.includes(day) && time >= hours.opens && time < hours.closes;
}

/** Whether the agent takes an inbound call as it arrives (`no_answer` agents take it only after the ring goes unanswered). */
export function answersOnArrival(answerWhen: AnswerWhen, hours: BusinessHours, at: Date): boolean {
  if (answerWhen === 'always') return true;
  if (answerWhen === 'after_hours') return !withinBusinessHours(hours, at);
  return false;
}
