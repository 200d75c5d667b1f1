import type { Disposition } from '../../../shared/cloud';

/** The longest label the cloud accepts. */
export const MAX_LABEL = 60;

/**
 * What is wrong with a label before it is sent, or null: empty, too long, or the same as another
 * offered disposition (case and spaces aside). `exceptId` is the one being renamed. Pure.
 */
export function labelProblem(label: string, active: readonly Disposition[], exceptId?: string): string | null {
  const trimmed = label.trim();
  if (trimmed === '') return 'Type a name for the disposition.';
  if (trimmed.length > MAX_LABEL) return `Keep it to ${MAX_LABEL} characters (this one has ${trimmed.length}).`;
  const key = trimmed.replace(/\s+/g, ' ').toLocaleLowerCase();
  const twin = active.find((d) => d.id !== exceptId && d.label.replace(/\s+/g, ' ').toLocaleLowerCase() === key);
  return twin ? `“${twin.label}” already exists. Pick another name.` : null;
}
