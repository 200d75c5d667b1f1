import { emailAddressProblem } from '../../../shared/cloud/email-address';
import { toE164 } from '../../../shared/cloud/phone';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { CONTACT_COLUMNS, toContact } from '../../contacts/rows';
import { createContact } from '../../contacts/service';
import { updateContactBy } from './contact-writes';
import type { ActionDefinition } from './types';

/**
 * Create/Update Contact: finds the contact by its phone in E.164 (the account's oldest live one
 * with that number) or creates it — never a duplicate, even for two runs racing on the same
 * number (a transaction-scoped advisory lock on account+phone serialises them). Fills name and
 * email when rendered non-empty, adds tags. The contact becomes the run's contact: the steps after
 * act on it (the Inbound Webhook → Create Contact → Log External Call recipe).
 */
export const createUpdateContactAction: ActionDefinition<ActionConfig<'create_update_contact'>> = {
  type: 'create_update_contact',
  category: 'contact',
  configSchema: actionConfigSchemas.create_update_contact,
  needsContact: false,
  async execute(ctx, config) {
    const rawPhone = (await ctx.render(config.phone)).trim();
    const phone = toE164(rawPhone, 'US');
    if (!phone) return { status: 'error', reason: rawPhone ? `"${rawPhone}" is not a valid phone number` : 'The phone number is blank' };
    const name = (await ctx.render(config.name)).trim();
    const email = (await ctx.render(config.email)).trim();
    // Kept as filled (an international domain in Unicode); one that cannot be mailed to is left out.
    const emailProblem = email ? emailAddressProblem(email, `"${email}" is not an email address`) : null;
    const validEmail = emailProblem ? '' : email;
    const result = await ctx.dbEffect('contact', async (uow) => {
      await uow.q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`contact-phone:${uow.accountId}:${phone}`]);
      const found = await uow.q.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = $1 AND c.phone = $2 AND c.deleted_at IS NULL ORDER BY c.created_at, c.id LIMIT 1`, [
        uow.accountId, phone,
      ]);
      let contactId: string;
      let created = false;
      if (found[0]) {
        const existing = toContact(found[0]);
        contactId = existing.id;
        await updateContactBy(uow, ctx, contactId, (c) => ({
          ...(name ? { name } : {}),
          ...(validEmail ? { email: validEmail } : {}),
          tags: [...c.tags, ...config.tags.filter((t) => !c.tags.includes(t))],
        }));
      } else {
        contactId = (await createContact(uow, null, { name: name || phone, phone, email: validEmail || null, tags: config.tags }, { runId: ctx.run.id })).id;
        created = true;
      }
      await uow.q.query(`UPDATE workflow_runs SET contact_id = $2 WHERE id = $1`, [ctx.run.id, contactId]);
      await uow.q.query(`UPDATE run_steps SET contact_id = $2 WHERE run_id = $1`, [ctx.run.id, contactId]);
      return { contactId, created };
    });
    const notes = [emailProblem ? `${emailProblem}, left out` : ''].filter(Boolean).join('. ');
    return {
      status: 'completed',
      reason: `${result.created ? 'Created' : 'Found'} the contact for ${phone}${notes ? `. ${notes}` : ''}`,
      output: result,
    };
  },
};
