import { z } from 'zod';
import { emailAddressSchema } from './email-address-schema';
import { canonicalEmail } from './email-address';
import { workflowDocumentSchema } from './workflows';

/**
 * Wire shapes of the builder's own cloud routes (src/cloud/automation/builder-routes.ts): the
 * Automation tab's per-workflow figures, delete with a choice for runs in progress, and the dry
 * run that replays a draft over the last 30 days before publishing.
 */

const id = z.string().min(1).max(64);

/** One row of the Automation tab besides the workflow itself. */
export const workflowSummarySchema = z.object({
  workflowId: id,
  /** Runs started in the last 7 days. */
  runs7d: z.number().int(),
  /** Steps that ended in error in the last 7 days. */
  errors7d: z.number().int(),
  /** Runs still running or waiting (what "delete" must finish or cancel). */
  activeRuns: z.number().int(),
});
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;

/** Runs in progress when a workflow is deleted: let them finish (no new ones start) or cancel them now. */
export const deleteWorkflowSchema = z.object({ inProgress: z.enum(['finish', 'cancel']) }).strict();
export type DeleteWorkflowInput = z.infer<typeof deleteWorkflowSchema>;

export const dryRunRequestSchema = z.object({ draft: workflowDocumentSchema.optional() }).strict();

/** A problem found by the dry run; `blocking` ones refuse publishing (a reference that no longer exists). */
export const dryRunProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
  blocking: z.boolean(),
});
export type DryRunProblem = z.infer<typeof dryRunProblemSchema>;

export const dryRunStepSchema = z.object({
  stepId: z.string(),
  name: z.string(),
  type: z.string(),
  /** Contacts (entries) whose replay reached this step. */
  reached: z.number().int(),
  /** Entries for which the step would have failed, by reason. */
  failures: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** Merge fields that would have rendered blank, with how many entries. */
  blankFields: z.array(z.object({ field: z.string(), count: z.number().int() })),
});
export type DryRunStep = z.infer<typeof dryRunStepSchema>;

export const dryRunReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Trigger events in the window the replay looked at. */
  eventsConsidered: z.number().int(),
  /** Times the trigger would have started a run (after filters and re-entry). */
  entries: z.number().int(),
  /** Distinct contacts that would have entered. */
  contacts: z.number().int(),
  steps: z.array(dryRunStepSchema),
  problems: z.array(dryRunProblemSchema),
  /** No blocking problem and the document has a trigger and an action. */
  canPublish: z.boolean(),
  /** What the replay could not judge (waits are not waited; If/Else is judged on today's contact record). */
  notes: z.array(z.string()),
});
export type DryRunReport = z.infer<typeof dryRunReportSchema>;

/** Send Test Mail from the email panel: formatting only (merge fields filled with sample values), to one address. */
export const testEmailSchema = z
  .object({
    to: emailAddressSchema('Enter an email address to send the test to'),
    fromName: z.string().max(200),
    // International domains as typed (`desk@bücher.de`) or in xn--: the cloud sends the canonical form.
    fromEmail: z.string().trim().max(254).refine((s) => canonicalEmail(s) !== null, 'From Email must be an email address'),
    subject: z.string().max(500),
    body: z.string().max(100_000),
  })
  .strict();
export type TestEmailInput = z.infer<typeof testEmailSchema>;

/** Send Test SMS from an SMS panel, to one number (with country code). */
export const testSmsSchema = z
  .object({
    to: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'Enter the number with its country code, such as +14155550123'),
    message: z.string().min(1, 'Write the message first').max(1600),
    /** The step's Add Attachment links: sent after the message, as a run sends them. */
    attachmentUrls: z.array(z.string().url().max(2048)).max(5).default([]),
    fromNumberId: id.nullable().default(null),
  })
  .strict();
export type TestSmsInput = z.infer<typeof testSmsSchema>;

export const testSendResultSchema = z.object({
  /** Where it went and what the provider answered (a message id). */
  sentTo: z.string(),
  providerId: z.string().nullable(),
  /** The merge fields the test filled with sample values. */
  sampleFields: z.array(z.string()),
  /** Send Test SMS: the text as it went, trigger links as the working short links it carried (absent from an older cloud). */
  body: z.string().optional(),
});
export type TestSendResult = z.infer<typeof testSendResultSchema>;
