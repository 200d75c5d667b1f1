import { z } from 'zod';
import { automationSettingsViewSchema, updateAutomationSettingsSchema } from '../cloud/automation-settings';
import { inboundEmailSettingsSchema } from '../cloud/inbound-email';
import { reputationSettingsSchema, updateReputationSettingsSchema } from '../cloud/reputation';
import { addSendingDomainSchema, sendingDomainSchema } from '../cloud/sending-domains';
import { slackChannelPageSchema, slackConnectionSchema, slackMemberPageSchema } from '../cloud/slack';
import { createTemplateSchema, messageTemplateSchema, templateUsageSchema, updateTemplateSchema } from '../cloud/templates';
import { createTriggerLinkSchema, triggerLinkChangesShape, triggerLinkClicksSchema, triggerLinkSchema, triggerLinkUsageSchema } from '../cloud/trigger-links';
import { setWhatsAppSenderSchema, whatsAppSettingsSchema } from '../cloud/whatsapp';

/**
 * IPC channels of the settings the workflow actions rely on (issue [workflow-builder]): saved
 * templates, Slack workspaces with their members and channels page by page, the sending domains
 * Send Email sends From (Settings → Email sending), the inbound email webhook (Settings → Email replies), automation settings
 * (Company Phone, premium actions and their count), Reputation wording, the WhatsApp sender, trigger
 * links, and a workflow's inbound webhook secret. Online and admin-only in main; merged by contract.ts.
 */
const id = z.string().min(1).max(64);
const templateRef = z.object({ templateId: id });
const linkRef = z.object({ linkId: id });
const slackRef = z.object({ connectionId: id });
const sendingDomainRef = z.object({ domainId: id });
const page = { cursor: z.string().max(500).optional(), search: z.string().trim().min(1).max(100).optional() };

export const workflowSettingsChannels = {
  'workflowSettings.templates': { input: z.undefined(), output: z.array(messageTemplateSchema) },
  'workflowSettings.createTemplate': { input: createTemplateSchema, output: messageTemplateSchema },
  'workflowSettings.updateTemplate': { input: templateRef.extend(updateTemplateSchema.shape), output: messageTemplateSchema },
  'workflowSettings.deleteTemplate': { input: templateRef, output: z.object({ deleted: z.literal(true) }) },
  /** The workflow steps that use a template (warned before an edit or a delete). */
  'workflowSettings.templateUsage': { input: templateRef, output: templateUsageSchema },

  'workflowSettings.slackConnections': { input: z.undefined(), output: z.array(slackConnectionSchema) },
  /** Starts connecting a workspace: main opens Slack's page in the browser when it may; the link is returned either way. */
  'workflowSettings.slackConnect': { input: z.undefined(), output: z.object({ authorizeUrl: z.string(), expiresAt: z.string(), opened: z.boolean() }) },
  'workflowSettings.slackDisconnect': { input: slackRef, output: z.object({ disconnected: z.literal(true) }) },
  'workflowSettings.slackMembers': { input: slackRef.extend(page), output: slackMemberPageSchema },
  'workflowSettings.slackChannels': { input: slackRef.extend({ ...page, type: z.enum(['public', 'private']) }), output: slackChannelPageSchema },

  'workflowSettings.sendingDomains': { input: z.undefined(), output: z.array(sendingDomainSchema) },
  /** Connects a domain: its TXT records are issued (pending until Verify finds them in DNS). */
  'workflowSettings.addSendingDomain': { input: addSendingDomainSchema, output: sendingDomainSchema },
  /** Looks the domain's records up in DNS now. */
  'workflowSettings.verifySendingDomain': { input: sendingDomainRef, output: sendingDomainSchema },
  'workflowSettings.removeSendingDomain': { input: sendingDomainRef, output: z.object({ removed: z.literal(true) }) },
  /** Settings → Email replies: the inbound email webhook's URL and secret for the practice's mail provider, and when a message last arrived. */
  'workflowSettings.inboundEmail': { input: z.undefined(), output: inboundEmailSettingsSchema },
  /** Replaces the practice's reply secret: the old one stops working at once. */
  'workflowSettings.rotateInboundEmailSecret': { input: z.undefined(), output: inboundEmailSettingsSchema },

  'workflowSettings.automation': { input: z.undefined(), output: automationSettingsViewSchema },
  'workflowSettings.updateAutomation': { input: updateAutomationSettingsSchema, output: automationSettingsViewSchema },
  'workflowSettings.reputation': { input: z.undefined(), output: reputationSettingsSchema },
  'workflowSettings.updateReputation': { input: updateReputationSettingsSchema, output: reputationSettingsSchema },
  'workflowSettings.whatsApp': { input: z.undefined(), output: whatsAppSettingsSchema },
  'workflowSettings.setWhatsAppSender': { input: setWhatsAppSenderSchema, output: whatsAppSettingsSchema },
  'workflowSettings.refreshWhatsAppTemplates': { input: z.undefined(), output: whatsAppSettingsSchema },

  /** Trigger links (Automation → Trigger links): the practice's named links its texts carry as {{trigger_link.<key>}}. */
  'workflowSettings.triggerLinks': { input: z.undefined(), output: z.array(triggerLinkSchema) },
  'workflowSettings.createTriggerLink': { input: createTriggerLinkSchema, output: triggerLinkSchema },
  'workflowSettings.updateTriggerLink': {
    input: z.object({ linkId: id, ...triggerLinkChangesShape }).strict().refine((v) => v.name !== undefined || v.url !== undefined, 'Change the name or the link'),
    output: triggerLinkSchema,
  },
  'workflowSettings.deleteTriggerLink': { input: linkRef, output: z.object({ deleted: z.literal(true) }) },
  /** The workflow steps that name a link (shown before a delete). */
  'workflowSettings.triggerLinkUsage': { input: linkRef, output: triggerLinkUsageSchema },
  /** Who clicked a link, per contact. */
  'workflowSettings.triggerLinkClicks': { input: linkRef, output: triggerLinkClicksSchema },

  /** Issues a new inbound webhook URL for a workflow (the old one stops working); the secret is shown only now. */
  'workflowSettings.issueWebhookSecret': { input: z.object({ workflowId: id }), output: z.object({ url: z.string(), secret: z.string() }) },
} as const;
