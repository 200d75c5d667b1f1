/** Choice number i (1-based) of test/support/choice-crash-child.ts: which wrap-up, and what is chosen on it. */
export const choiceFor = (i: number): { sid: string; dispositionId: string | null; note: string } => ({
  sid: `CA${i % 3}`,
  dispositionId: ['dsp_booked', 'dsp_follow', null, 'dsp_spam'][i % 4]!,
  note: `choice ${i}`,
});
