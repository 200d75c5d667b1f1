import { emailAddressProblem } from '../../../shared/cloud/email-address';
import { toE164 } from '../../../shared/cloud/phone';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { updateContactBy, type ContactPatch } from './contact-writes';
import type { ActionDefinition } from './types';

/**
 * Update Contact Field: a standard field (name, email, phone) or a custom field
 * (`custom_fields.<key>`) set to a rendered template; an empty result clears it (a name cannot be
 * cleared). Values are validated like the contact form validates them.
 */
export const updateContactFieldAction: ActionDefinition<ActionConfig<'update_contact_field'>> = {
  type: 'update_contact_field',
  category: 'contact',
  configSchema: actionConfigSchemas.update_contact_field,
  dbEffectLast: true,
  async execute(ctx, config) {
    const value = (await ctx.render(config.value)).trim();
    const contact = ctx.contact!;
    let patch: ContactPatch;
    switch (config.field) {
      case 'name':
        if (!value) return { status: 'error', reason: 'A contact name cannot be blank' };
        patch = { name: value.slice(0, 200) };
        break;
      case 'email': {
        const problem = value ? emailAddressProblem(value, `"${value}" is not an email address`) : null;
        if (problem) return { status: 'error', reason: problem };
        patch = { email: value || null };
        break;
      }
      case 'phone': {
        const phone = value ? toE164(value, 'US') : null;
        if (value && !phone) return { status: 'error', reason: `"${value}" is not a valid phone number` };
        patch = { phone };
        break;
      }
      default: {
        const key = config.field.slice('custom_fields.'.length);
        patch = { customFields: { [key]: value || null } };
      }
    }
    const updated = await ctx.dbEffect('field', (uow) => updateContactBy(uow, ctx, contact.id, () => patch));
    if (!updated) return { status: 'skipped', reason: 'The contact was deleted' };
    return { status: 'completed', reason: value ? `Set ${config.field} to "${value}"` : `Cleared ${config.field}`, output: { field: config.field, value: value || null } };
  },
};
