import { z } from 'zod';
import { dndChannelSchema } from './entities';

/**
 * Every workflow action's configuration schema, keyed by its action type (`actionConfigSchemas`),
 * with the pieces they share (recipients, durations, If/Else conditions) and the builder's action
 * categories. The workflow document that holds these steps is in ./workflows.ts.
 *
 * Text fields marked "template" accept merge fields (`{{contact.first_name}}`, see mergeFieldPaths).
 */

const id = z.string().min(1).max(64);
const template = (max: number) => z.string().max(max);

const emailList = z.array(z.string().max(254)).max(50);
const attachment = z.object({ name: z.string().min(1).max(200), url: z.string().url().max(2048) }).strict();
/** Who an internal notification goes to (the seed's "To User Type"). */
export const toUserTypeSchema = z.enum(['all_users', 'assigned_user', 'particular_users', 'custom_email']);
/** Seconds, minutes, hours or days. */
export const durationUnitSchema = z.enum(['minutes', 'hours', 'days']);

/** The If/Else condition operators (each rule compares one merge-field path with a value). */
export const conditionOperators = [
  'equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with',
  'is_empty', 'is_not_empty', 'greater_than', 'less_than', 'has_tag', 'not_has_tag',
] as const;
export const conditionRuleSchema = z
  .object({
    /** A merge-field path: `contact.email`, `contact.tags`, `call.direction`, `inbound_webhook.direction`, `custom.plan`… */
    field: z.string().min(1).max(200).regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/, 'a field path such as contact.email'),
    operator: z.enum(conditionOperators),
    value: z.string().max(500).optional(),
  })
  .strict();
export const conditionGroupSchema = z.object({ match: z.enum(['all', 'any']).default('all'), rules: z.array(conditionRuleSchema).min(1).max(20) }).strict();
export type ConditionRule = z.infer<typeof conditionRuleSchema>;
export type ConditionGroup = z.infer<typeof conditionGroupSchema>;

/**
 * What an incomplete Slack step is missing (path within its config, and what to choose): the
 * channel for a channel event, and for a direct message whatever its User Source finds the member
 * by. Checked on what is saved (`completeStepSchema`, `workflowDocumentInputSchema`), not on what
 * is read: steps stored before the check must still load, list and open in the builder.
 */
export function slackDestinationIssues(c: {
  event: string;
  userSource?: string;
  customEmail?: string;
  internalUserId?: string;
  slackUserId?: string;
  channelId?: string;
}): { path: string; message: string }[] {
  const missing = (value: string | undefined, path: string, message: string) => (value?.trim() ? [] : [{ path, message }]);
  if (c.event !== 'direct_message') return missing(c.channelId, 'channelId', 'Choose the channel to post in');
  switch (c.userSource) {
    case 'custom_email':
      return missing(c.customEmail, 'customEmail', 'Enter the email (or custom value) of the Slack member to message');
    case 'internal_user':
      return missing(c.internalUserId, 'internalUserId', 'Choose the user to message');
    case 'slack_user':
      return missing(c.slackUserId, 'slackUserId', 'Choose the Slack member to message');
    default:
      return []; // Assigned User (chosen, or absent): the contact's assigned user is found at run time.
  }
}

/** A Manual SMS / Manual Call task still open this many hours after it was queued is marked expired (the run moves on); null = never. */
const taskExpiryHours = z.number().int().min(1).max(24 * 90).nullable().default(null);

export const actionConfigSchemas = {
  // Communication (executors: the automation-comms engineer).
  send_email: z
    .object({
      fromName: template(200),
      fromEmail: z.string().min(3).max(254),
      subject: template(500),
      templateId: id.nullable().default(null),
      /** With a template: edits here and in the template update each other. */
      syncTemplateEdits: z.boolean().default(false),
      /** HTML body (template); merge fields are HTML-escaped. */
      body: template(100_000),
      attachments: z.array(attachment).max(10).default([]),
      cc: emailList.default([]),
      bcc: emailList.default([]),
    })
    .strict(),
  send_sms: z
    .object({
      templateId: id.nullable().default(null),
      message: template(1600).min(1),
      /** SMS carries no files: attachments are sent as links. */
      attachmentUrls: z.array(z.string().url().max(2048)).max(5).default([]),
      /** The number to send from; null: the contact's assigned user's number, else the account's first. */
      fromNumberId: id.nullable().default(null),
    })
    .strict(),
  slack: z
    .object({
      /** The connected Slack workspace (Settings → Integrations). */
      connectionId: id,
      event: z.enum(['direct_message', 'private_channel', 'public_channel']),
      /**
       * Who a direct message goes to. Absent means Assigned User: the builder shows that by
       * default, and steps saved before it stored the choice rely on it.
       */
      userSource: z.enum(['assigned_user', 'custom_email', 'internal_user', 'slack_user']).optional(),
      customEmail: template(254).optional(),
      internalUserId: id.optional(),
      slackUserId: z.string().max(64).optional(),
      channelId: z.string().max(64).optional(),
      message: template(4000).min(1),
    })
    .strict(),
  call: z
    .object({
      /** Played (text-to-speech) to whoever answers before connecting, up to three times. */
      whisper: template(1000).default('You have a new lead, {{contact.name}}. Press any button to connect.'),
      timeoutSeconds: z.number().int().min(5).max(600),
      disableVoicemailDetect: z.boolean().default(false),
      connectAfterKeypress: z.boolean().default(true),
      fromNumberId: id.nullable().default(null),
      /** How an assigned user is rung: their softphone (Twilio client identity), or the phone number on their profile. */
      ringUser: z.enum(['softphone', 'phone']).default('softphone'),
    })
    .strict(),
  voicemail_drop: z
    .object({
      /** The uploaded recording (media library id) and its playable URL. */
      audioMediaId: id.nullable().default(null),
      audioUrl: z.string().url().max(2048),
      fromNumberId: id.nullable().default(null),
    })
    .strict(),
  manual_sms: z
    .object({
      templateId: id.nullable().default(null),
      message: template(1600).min(1),
      attachmentUrls: z.array(z.string().url().max(2048)).max(5).default([]),
      /** Advanced → Assign To: null = the contact owner (fallback: Unassigned). */
      assignToUserId: id.nullable().default(null),
      fromNumberId: id.nullable().default(null),
      expiresInHours: taskExpiryHours,
    })
    .strict(),
  manual_call: z
    .object({
      assignToUserId: id.nullable().default(null),
      /** The caller ID Let's Start dials from (one of the practice's numbers); null = the receptionist's own line. */
      fromNumberId: id.nullable().default(null),
      expiresInHours: taskExpiryHours,
    })
    .strict(),
  internal_notification: z.discriminatedUnion('channel', [
    z
      .object({
        channel: z.literal('email'),
        fromName: template(200),
        fromEmail: z.string().min(3).max(254),
        toUserType: toUserTypeSchema,
        userIds: z.array(id).max(100).default([]),
        customEmails: z.array(template(254)).max(50).default([]),
        cc: emailList.default([]),
        bcc: emailList.default([]),
        subject: template(500).default(''),
        templateId: id.nullable().default(null),
        message: template(100_000),
        attachments: z.array(attachment).max(10).default([]),
      })
      .strict(),
    z
      .object({
        channel: z.literal('in_app'),
        title: template(200).min(1),
        message: template(2000),
        /** Where a click lands: the run's contact, its call, its appointment, or nowhere. */
        redirect: z.enum(['contact', 'call', 'appointment', 'none']).default('contact'),
        toUserType: toUserTypeSchema.exclude(['custom_email']),
        userIds: z.array(id).max(100).default([]),
        teamIds: z.array(id).max(50).default([]),
        roles: z.array(z.enum(['admin', 'user'])).max(2).default([]),
      })
      .strict(),
    z
      .object({
        channel: z.literal('sms'),
        toUserType: toUserTypeSchema.exclude(['custom_email']),
        userIds: z.array(id).max(100).default([]),
        templateId: id.nullable().default(null),
        message: template(1600).min(1),
        attachmentUrls: z.array(z.string().url().max(2048)).max(5).default([]),
      })
      .strict(),
    z
      .object({
        channel: z.literal('whatsapp'),
        toUserType: toUserTypeSchema.exclude(['custom_email']),
        userIds: z.array(id).max(100).default([]),
        /** An approved WhatsApp template (content SID or name). */
        templateName: z.string().min(1).max(200),
        message: template(1600),
      })
      .strict(),
  ]),
  review_request: z.object({ reviewType: z.enum(['email', 'sms']) }).strict(),
  log_external_call: z
    .object({
      direction: template(200),
      date: template(200),
      to: template(200),
      from: template(200),
      status: template(200),
      recordingUrl: template(2048).default(''),
    })
    .strict(),

  // Contact actions.
  dnd: z
    .object({
      action: z.enum(['enable', 'disable']),
      direction: z.enum(['inbound', 'outbound', 'both']),
      /** Empty: every channel. */
      channels: z.array(dndChannelSchema).max(4).default([]),
    })
    .strict(),
  add_tag: z.object({ tags: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }).strict(),
  remove_tag: z.object({ tags: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }).strict(),
  assign_user: z
    .object({
      /** One user, or several sharing the runs evenly (chosen by run). */
      userIds: z.array(id).min(1).max(50),
      onlyIfUnassigned: z.boolean().default(false),
    })
    .strict(),
  /** Finds the contact by its E.164 phone (never duplicates it) or creates it; it becomes the run's contact. */
  create_update_contact: z
    .object({
      phone: template(200).min(1),
      name: template(200).default(''),
      email: template(254).default(''),
      tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    })
    .strict(),
  update_contact_field: z
    .object({
      /** A standard field or a custom field (`custom_fields.<key>`). */
      field: z.union([z.enum(['name', 'email', 'phone']), z.string().regex(/^custom_fields\.[A-Za-z0-9_]{1,60}$/, 'custom_fields.<key>')]),
      /** Template; an empty result clears the field. */
      value: template(2000),
    })
    .strict(),

  // Flow.
  wait: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('duration'), amount: z.number().int().min(1).max(100_000), unit: durationUnitSchema }).strict(),
    z
      .object({
        mode: z.literal('appointment'),
        /** Until `amount unit` before (or after) the run's appointment starts. */
        amount: z.number().int().min(0).max(100_000),
        unit: durationUnitSchema,
        relation: z.enum(['before', 'after']),
        /**
         * When that time has already passed as the run reaches the wait: `continue` goes on at once,
         * `skip_next` skips the one step after the wait (the stale reminder) and goes on,
         * `end` ends the run.
         */
        ifPast: z.enum(['continue', 'skip_next', 'end']).default('skip_next'),
      })
      .strict(),
  ]),
} as const;

export type ActionType = keyof typeof actionConfigSchemas;
export const actionTypes = Object.keys(actionConfigSchemas) as ActionType[];
export type ActionConfig<T extends ActionType> = z.output<(typeof actionConfigSchemas)[T]>;

/** Which builder category an action sits in. */
export const actionCategories: Record<ActionType, 'communication' | 'contact' | 'flow'> = {
  send_email: 'communication', send_sms: 'communication', slack: 'communication', call: 'communication', voicemail_drop: 'communication',
  manual_sms: 'communication', manual_call: 'communication', internal_notification: 'communication', review_request: 'communication',
  log_external_call: 'communication', dnd: 'contact', add_tag: 'contact', remove_tag: 'contact', assign_user: 'contact',
  create_update_contact: 'contact', update_contact_field: 'contact', wait: 'flow',
};
