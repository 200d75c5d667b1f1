import { z } from 'zod';
import { templateUsageSchema } from './templates';
import { triggerLinkUrlProblem } from './trigger-link-url';

/**
 * Trigger links (Automation → Trigger links): a practice's named links — a booking calendar, a
 * form — that Send SMS and Manual SMS messages carry as `{{trigger_link.<key>}}` and that reach
 * each contact as a tracked short link of their own (see trigger-link-fields.ts). Admins create,
 * edit and delete them; every route is the caller's practice's only.
 *
 * A deleted link: texts already sent keep leading to its destination (a patient tapping an old
 * text still gets there), but it is no longer offered, and a workflow step that still names it is
 * refused on save and publish and fails at run time with the reason, rather than sending a broken
 * placeholder. Editing the destination changes where every link already sent leads.
 */
const id = z.string().min(1).max(64);

export const TRIGGER_LINK_NAME_MAX = 120;

export const triggerLinkUrlSchema = z
  .string()
  .transform((value, ctx) => {
    const problem = triggerLinkUrlProblem(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return new URL(value.trim()).href; // stored as the browser will be sent there: percent-encoded, one form
  });

const name = z.string().trim().min(1, 'Give the link a name').max(TRIGGER_LINK_NAME_MAX);

export const createTriggerLinkSchema = z.object({ name, url: triggerLinkUrlSchema }).strict();
export type CreateTriggerLink = z.infer<typeof createTriggerLinkSchema>;

/** What an edit may change (the key never changes); at least one of them. */
export const triggerLinkChangesShape = { name: name.optional(), url: triggerLinkUrlSchema.optional() };
export const updateTriggerLinkSchema = z
  .object(triggerLinkChangesShape)
  .strict()
  .refine((v) => v.name !== undefined || v.url !== undefined, 'Change the name or the link');
export type UpdateTriggerLink = z.infer<typeof updateTriggerLinkSchema>;

export const triggerLinkSchema = z.object({
  id,
  name: z.string(),
  /** Fixed at creation: messages name the link by it (`{{trigger_link.<key>}}`). */
  key: z.string(),
  url: z.string(),
  /** Tracked links made for contacts (one per contact and workflow step; test sends not counted). */
  sent: z.number().int(),
  /** Every click on them, and how many contacts clicked at least once. */
  clicks: z.number().int(),
  contactsClicked: z.number().int(),
  lastClickedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TriggerLink = z.infer<typeof triggerLinkSchema>;

/** Who clicked a link: per contact, newest click first (the last 200). */
export const triggerLinkClicksSchema = z.object({
  linkId: id,
  contacts: z.array(
    z.object({
      contactId: id.nullable(),
      /** The contact's name now (null: deleted since). */
      contactName: z.string().nullable(),
      clicks: z.number().int(),
      firstClickedAt: z.string(),
      lastClickedAt: z.string(),
    }),
  ),
});
export type TriggerLinkClicks = z.infer<typeof triggerLinkClicksSchema>;

/** The workflow steps that name a link, in drafts and in the versions new runs start on (warned before a delete). */
export const triggerLinkUsageSchema = z.object({
  linkId: id,
  // The step a template's usage names too (workflow, step, their names).
  steps: z.array(
    templateUsageSchema.shape.steps.element.omit({ synced: true }).extend({
      /** In the published version new runs start on (not only in the draft). */
      published: z.boolean(),
    }),
  ),
});
export type TriggerLinkUsage = z.infer<typeof triggerLinkUsageSchema>;

export const triggerLinkPaths = { list: '/v1/trigger-links', one: (linkId: string) => `/v1/trigger-links/${encodeURIComponent(linkId)}` } as const;
