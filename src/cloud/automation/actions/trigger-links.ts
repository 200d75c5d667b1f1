import { triggerLinkField, triggerLinkKeysIn } from '../../../shared/cloud/trigger-link-fields';
import { mintTriggerLinks } from '../../trigger-links/tokens';
import type { ActionContext } from './types';

/**
 * A text the run's contact receives (Send SMS, Manual SMS), rendered with its trigger links: each
 * `{{trigger_link.<key>}}` becomes a short tracked link made for this contact and step
 * (trigger-links/tokens.ts). Made once per step through the ledger, so a retried step sends the
 * same links. A link deleted since the version was published (or never made) fails the step with
 * that reason: the text is not sent with a broken placeholder.
 */
/** `unsent`: what did not happen, for the log ("the text was not sent"). */
export async function renderContactText(ctx: ActionContext, template: string, recipient: string, unsent: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const keys = triggerLinkKeysIn(template);
  if (keys.length === 0) return { ok: true, text: await ctx.render(template) };
  const contact = ctx.contact!;
  const minted = await ctx.dbEffect('trigger-links', (uow) =>
    mintTriggerLinks(uow.q, {
      accountId: ctx.account.id, keys, contactId: contact.id, recipient,
      step: { runId: ctx.run.id, stepKey: ctx.step.key, stepId: ctx.step.id, workflowId: ctx.run.workflowId },
    }, ctx.ports.publicUrl()),
  );
  if (!minted.ok) {
    const named = minted.missing.map((key) => `{{${triggerLinkField(key)}}}`).join(', ');
    const one = minted.missing.length === 1;
    return {
      ok: false,
      reason: `The message names the trigger link${one ? '' : 's'} ${named}, which ${one ? 'was' : 'were'} deleted or never existed (Automation → Trigger links), so ${unsent}. Choose another link in this step and publish the workflow again.`,
    };
  }
  return { ok: true, text: await ctx.render(template, { data: { trigger_link: minted.links } }) };
}
