/**
 * A step's reason in the execution log with the merge fields it rendered blank after it: one
 * sentence each, with one full stop between them even when the reason already ends its sentence
 * ("… was not sent.").
 */
export function withBlanks(reason: string | null, blank: string[]): string | null {
  if (blank.length === 0) return reason;
  const note = `Blank merge fields: ${blank.join(', ')}`;
  if (!reason) return note;
  return `${/[.!?…]$/.test(reason) ? reason : `${reason}.`} ${note}`;
}
