/**
 * How a call task ended, besides a disposition: the extra outcomes of the task's pop-up. Apart from
 * tasks.ts's schemas: the wrap-up picker shows these labels, and the schemas would bring zod onto
 * the page's way to "Ready for calls" (issue #21).
 */
export const callOutcomes = ['disposition', 'no_answer', 'left_voicemail', 'wrong_number'] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export const callOutcomeLabels: Record<Exclude<CallOutcome, 'disposition'>, string> = {
  no_answer: 'No answer',
  left_voicemail: 'Left voicemail',
  wrong_number: 'Wrong number',
};
