import type { ActionConfig, ActionStep, ActionType, Step, Trigger, TriggerType } from '../../../shared/cloud/workflows';
import { actionCategories, actionTypes } from '../../../shared/cloud/workflows';
import { displayEmail, savedFromEmail, type KnownSendingDomain } from '../../../shared/cloud/sending-domain-rules';

/** What the builder calls each action and trigger, the + panel's categories, and a new step's defaults. */

export const actionLabels: Record<ActionType, string> = {
  send_email: 'Send Email',
  send_sms: 'Send SMS',
  slack: 'Slack',
  call: 'Call',
  voicemail_drop: 'Voicemail',
  manual_sms: 'Manual Action to SMS',
  manual_call: 'Manual Action to Call',
  internal_notification: 'Send Internal Notification',
  review_request: 'Send Review Request',
  log_external_call: 'Log External Call',
  dnd: 'Enable/Disable DND',
  add_tag: 'Add Tag',
  remove_tag: 'Remove Tag',
  assign_user: 'Assign to User',
  create_update_contact: 'Create/Update Contact',
  update_contact_field: 'Update Contact Field',
  wait: 'Wait',
};

export const triggerLabels: Record<TriggerType, string> = {
  call_details: 'Call Details',
  contact_created: 'Contact Created',
  contact_tag_added: 'Contact Tag Added',
  contact_tag_removed: 'Contact Tag Removed',
  appointment_booked: 'Appointment Booked',
  appointment_status_changed: 'Appointment Status Changed',
  inbound_webhook: 'Inbound Webhook',
  manual: 'Manual enrolment only',
};

export const categoryLabels = { communication: 'Communication', contact: 'Contact', flow: 'Flow' } as const;
export type Category = keyof typeof categoryLabels;

/** The + panel's groups; If/Else is a Flow entry besides the action types. */
export function actionsIn(category: Category): Array<ActionType | 'if_else'> {
  const list: Array<ActionType | 'if_else'> = actionTypes.filter((t) => actionCategories[t] === category);
  if (category === 'flow') list.unshift('if_else');
  return list;
}
export const entryLabel = (entry: ActionType | 'if_else'): string => (entry === 'if_else' ? 'If/Else' : actionLabels[entry]);

/** A new step of `type` with the panel's starting values (some required fields start empty: inline validation asks for them). */
export function newStep(type: ActionType | 'if_else', id: string): Step {
  const name = type === 'if_else' ? 'If/Else' : actionLabels[type];
  switch (type) {
    case 'if_else':
      return {
        id, name, type,
        branches: [{ id: `${id}_b1`, name: 'Branch 1', conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_not_empty' }] }, steps: [] }],
        elseSteps: [],
      };
    case 'send_email':
      return { id, name, type, config: { fromName: '', fromEmail: '', subject: '', templateId: null, syncTemplateEdits: false, body: '', attachments: [], cc: [], bcc: [] } };
    case 'send_sms':
      return { id, name, type, config: { templateId: null, message: '', attachmentUrls: [], fromNumberId: null } };
    case 'slack':
      return { id, name, type, config: { connectionId: '', event: 'public_channel', message: '' } };
    case 'call':
      return {
        id, name, type,
        config: { whisper: 'You have a new lead, {{contact.name}}. Press any button to connect.', timeoutSeconds: 30, disableVoicemailDetect: false, connectAfterKeypress: true, fromNumberId: null, ringUser: 'softphone' },
      };
    case 'voicemail_drop':
      return { id, name, type, config: { audioMediaId: null, audioUrl: '', fromNumberId: null } };
    case 'manual_sms':
      return { id, name, type, config: { templateId: null, message: '', attachmentUrls: [], assignToUserId: null, fromNumberId: null, expiresInHours: null } };
    case 'manual_call':
      return { id, name, type, config: { assignToUserId: null, fromNumberId: null, expiresInHours: null } };
    case 'internal_notification':
      return { id, name, type, config: { channel: 'in_app', title: '', message: '', redirect: 'contact', toUserType: 'all_users', userIds: [], teamIds: [], roles: [] } };
    case 'review_request':
      return { id, name: 'Send Review Request', type, config: { reviewType: 'email' } };
    case 'log_external_call':
      return {
        id, name, type,
        config: {
          direction: '{{inbound_webhook.direction}}', date: '{{inbound_webhook.date}}', to: '{{inbound_webhook.to}}', from: '{{inbound_webhook.from}}',
          status: '{{inbound_webhook.status}}', recordingUrl: '',
        },
      };
    case 'dnd':
      return { id, name, type, config: { action: 'enable', direction: 'inbound', channels: [] } };
    case 'add_tag':
    case 'remove_tag':
      return { id, name, type, config: { tags: [] } } as ActionStep;
    case 'assign_user':
      return { id, name, type, config: { userIds: [], onlyIfUnassigned: false } };
    case 'create_update_contact':
      return { id, name, type, config: { phone: '', name: '', email: '', tags: [] } };
    case 'update_contact_field':
      return { id, name, type, config: { field: 'name', value: '' } };
    case 'wait':
      return { id, name, type, config: { mode: 'duration', amount: 1, unit: 'days' } };
  }
}

type SlackConfig = ActionConfig<'slack'>;

/**
 * A Slack step's Event changed. A direct message stores the User Source the panel shows as chosen
 * (Assigned User) unless one was chosen before; a channel picked from the other list is dropped
 * (private and public channels are different lists).
 */
export function slackEventChange(config: SlackConfig, event: SlackConfig['event']): Partial<SlackConfig> {
  return { event, channelId: undefined, ...(event === 'direct_message' ? { userSource: config.userSource ?? 'assigned_user' } : {}) };
}

/**
 * A saved step as its panel shows it: a value the panel presents as chosen but the step does not
 * hold (a Slack direct message saved before its User Source was stored shows, and now stores,
 * Assigned User), so that Save Action keeps what the admin saw; and a From Email on an international
 * domain in Unicode as the practice's domains spell it (the cloud stores the xn-- form).
 */
export function asShown(step: Step, domains: readonly KnownSendingDomain[] = []): Step {
  if (step.type === 'slack' && step.config.event === 'direct_message' && !step.config.userSource) {
    return { ...step, config: { ...step.config, userSource: 'assigned_user' } };
  }
  const fromEmail = savedFromEmail(step);
  if (fromEmail !== null && step.type !== 'if_else') {
    const shown = displayEmail(fromEmail, domains);
    if (shown !== fromEmail) return { ...step, config: { ...step.config, fromEmail: shown } } as Step;
  }
  return step;
}

/** One line under a step's name in the flow: what it will do. */
export function stepSummary(step: Step): string {
  switch (step.type) {
    case 'if_else':
      return `${step.branches.length} branch${step.branches.length === 1 ? '' : 'es'} + None`;
    case 'wait':
      return step.config.mode === 'duration'
        ? `Wait ${step.config.amount} ${step.config.unit}`
        : `Until ${step.config.amount} ${step.config.unit} ${step.config.relation} the appointment`;
    case 'dnd':
      return `${step.config.action === 'enable' ? 'Enable' : 'Disable'} DND · ${step.config.direction}${step.config.channels.length ? ` · ${step.config.channels.join(', ')}` : ' · all channels'}`;
    case 'add_tag':
    case 'remove_tag':
      return step.config.tags.join(', ') || 'No tags yet';
    case 'send_email':
      return step.config.subject || 'No subject yet';
    case 'send_sms':
    case 'manual_sms':
      return step.config.message.slice(0, 80) || 'No message yet';
    default:
      return actionLabels[step.type];
  }
}

/** The trigger with its empty filters (the filters panel then narrows it). */
export function newTrigger(type: TriggerType): Trigger {
  if (type === 'contact_tag_added' || type === 'contact_tag_removed') return { type, filters: { tags: [] as unknown as [string] } };
  return { type, filters: {} } as Trigger;
}
