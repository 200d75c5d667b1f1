import { z } from 'zod';
import { aiWriteRequestSchema, aiWriteResultSchema, aiWriteStatusSchema } from '../cloud/ai-write';
import { dispositionSchema, roleSchema } from '../cloud/entities';
import { messageTemplateSchema } from '../cloud/templates';
import { sendingDomainSchema } from '../cloud/sending-domains';
import { slackConnectionSchema, slackTestMessageSchema } from '../cloud/slack';
import { triggerLinkSchema } from '../cloud/trigger-links';
import { deleteWorkflowSchema, dryRunReportSchema, testEmailSchema, testSendResultSchema, testSmsSchema, workflowSummarySchema } from '../cloud/workflow-builder';
import {
  createWorkflowSchema,
  metricRecipientsSchema,
  runStepSchema,
  stepMetricNameSchema,
  updateWorkflowSchema,
  workflowDocumentSchema,
  workflowRunSchema,
  workflowSchema,
  workflowStatisticsSchema,
} from '../cloud/workflows';

/**
 * IPC channels of the Automation tab (issue [workflow-builder]); merged into `ipcChannels` by
 * contract.ts. Everything here is online (workflows live in the cloud) and admin-only in main.
 */

const id = z.string().min(1).max(64);
const workflowRef = z.object({ workflowId: id });

/** What the builder's pickers offer: live records plus enough of the deleted ones to name them. */
export const builderOptionsSchema = z.object({
  dispositions: z.array(dispositionSchema),
  users: z.array(z.object({ id, name: z.string(), email: z.string(), role: roleSchema, phone: z.string().nullable() })),
  teams: z.array(z.object({ id, name: z.string() })),
  numbers: z.array(z.object({ id, number: z.string(), name: z.string() })),
  templates: z.array(messageTemplateSchema),
  slack: z.array(slackConnectionSchema),
  /** The practice's live trigger links: the SMS messages' tag icon offers them. */
  triggerLinks: z.array(triggerLinkSchema),
  /** The practice's sending domains (Send Email's From Email must be on a verified one); null: this cloud does not say. */
  sendingDomains: z.array(sendingDomainSchema).nullable(),
});
export type BuilderOptions = z.infer<typeof builderOptionsSchema>;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00.000Z`)), 'not a real date');
export const workflowLogQuerySchema = z.object({
  workflowId: id.optional(),
  contactId: id.optional(),
  status: z.enum(['pending', 'running', 'waiting', 'completed', 'error', 'skipped', 'removed']).optional(),
  /** An action type (`send_email`) or a step id. */
  stepType: z.string().max(64).optional(),
  /** ISO dates (inclusive day range, UTC days). */
  from: isoDay.optional(),
  to: isoDay.optional(),
  /** Paging: the `seq` of the oldest entry shown ("Load older entries"). */
  olderThan: z.string().regex(/^\d{1,19}$/).optional(),
  /** Entries per page (default and most: LOG_PAGE_SIZE). */
  limit: z.number().int().min(1).max(500).optional(),
});
/** Entries per page of the execution log (the cloud's maximum). */
export const LOG_PAGE_SIZE = 500;
export type WorkflowLogQuery = z.infer<typeof workflowLogQuerySchema>;

export const automationChannels = {
  'automation.list': { input: z.undefined(), output: z.object({ workflows: z.array(workflowSchema), summaries: z.array(workflowSummarySchema) }) },
  'automation.get': { input: workflowRef, output: workflowSchema },
  'automation.create': { input: createWorkflowSchema, output: workflowSchema },
  'automation.duplicate': { input: workflowRef, output: workflowSchema },
  'automation.save': { input: workflowRef.extend(updateWorkflowSchema.shape), output: workflowSchema },
  'automation.publish': { input: workflowRef, output: workflowSchema },
  'automation.pause': { input: workflowRef, output: workflowSchema },
  'automation.delete': { input: workflowRef.extend(deleteWorkflowSchema.shape), output: z.object({ deleted: z.literal(true) }) },
  'automation.options': { input: z.undefined(), output: builderOptionsSchema },
  'automation.dryRun': { input: workflowRef.extend({ draft: workflowDocumentSchema }), output: dryRunReportSchema },
  'automation.runs': { input: workflowRef.extend({ contactId: id.optional() }), output: z.array(workflowRunSchema) },
  'automation.log': { input: workflowLogQuerySchema, output: z.array(runStepSchema) },
  'automation.statistics': { input: workflowRef, output: workflowStatisticsSchema },
  /** One statistic's recipient details (who was Delivered, Opened…), a page from `offset`. */
  'automation.statisticRecipients': {
    input: workflowRef.extend({ stepId: z.string().min(1).max(64), metric: stepMetricNameSchema, offset: z.number().int().min(0).max(1_000_000).optional() }),
    output: metricRecipientsSchema,
  },
  'automation.testEmail': { input: testEmailSchema, output: testSendResultSchema },
  'automation.testSms': { input: testSmsSchema, output: testSendResultSchema },
  'automation.testSlack': { input: slackTestMessageSchema.extend({ connectionId: id }), output: z.object({ sent: z.literal(true) }) },
  /** Write with AI (email and SMS panels): is it configured here, and a draft to fill the fields. */
  'automation.aiWriteStatus': { input: z.undefined(), output: aiWriteStatusSchema },
  'automation.writeWithAi': { input: aiWriteRequestSchema, output: aiWriteResultSchema },
  'automation.enrol': { input: workflowRef.extend({ contactId: id }), output: z.object({ accepted: z.literal(true) }) },
} as const;
