import type { MessageTemplate } from '../../../shared/cloud/templates';
import { walkSteps, type Step } from '../../../shared/cloud/workflow-steps';

/**
 * Sync Edits to Template, the builder's side: the cloud writes a synced Send Email step's text into
 * its template when the draft is saved, and refuses (CONFLICT) when the template moved on since the
 * text on screen was read. So each save names, per synced template, the version the step's text
 * started from — known when the draft is loaded or saved right after the templates are read and
 * the step holds that template's text.
 */

/** Per template, the texts of the Send Email steps that sync with it. */
function syncedTexts(steps: readonly Step[]): Map<string, Array<{ subject: string; body: string }>> {
  const found = new Map<string, Array<{ subject: string; body: string }>>();
  walkSteps(steps, (step) => {
    if (step.type !== 'send_email' || !step.config.syncTemplateEdits || !step.config.templateId) return;
    found.set(step.config.templateId, [...(found.get(step.config.templateId) ?? []), { subject: step.config.subject, body: step.config.body }]);
  });
  return found;
}

export const hasSyncedSteps = (steps: readonly Step[]): boolean => syncedTexts(steps).size > 0;

/**
 * The version each synced template's text in `steps` is known to start from: a template read just
 * before (or after a save) whose subject and body every synced step holds gives its version; one
 * that differs (edited elsewhere meanwhile) keeps what was known before, so the next save is checked
 * against that older version instead of silently overwriting the other edit.
 */
export function versionsMatching(steps: readonly Step[], templates: readonly MessageTemplate[], before: Readonly<Record<string, number>>): Record<string, number> {
  const known: Record<string, number> = {};
  for (const [templateId, texts] of syncedTexts(steps)) {
    const template = templates.find((t) => t.id === templateId);
    const same = template !== undefined && texts.every((x) => x.subject === template.subject && x.body === template.body);
    const version = same ? template.version : before[templateId];
    if (version !== undefined) known[templateId] = version;
  }
  return known;
}

/**
 * What a save sends as `templateVersions`: for each synced template, the version its text started
 * from, else (a template chosen in a panel since) the version of the template the panel copied.
 */
export function templateVersionsForSave(steps: readonly Step[], templates: readonly MessageTemplate[], known: Readonly<Record<string, number>>): Record<string, number> {
  const versions: Record<string, number> = {};
  for (const templateId of syncedTexts(steps).keys()) {
    const version = known[templateId] ?? templates.find((t) => t.id === templateId)?.version;
    if (version !== undefined) versions[templateId] = version;
  }
  return versions;
}
