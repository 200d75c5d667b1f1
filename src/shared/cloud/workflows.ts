import { z } from 'zod';
import { walkSteps, type ActionStep, type Step } from './workflow-steps';
import { actionConfigSchemas, actionTypes, conditionGroupSchema, slackDestinationIssues } from './workflow-actions';

export * from './workflow-actions';

/**
 * The workflow document (what an admin builds, versioned and published) and the wire shapes of
 * the `/v1/workflows…` API. A document is a trigger {type, filters}, a tree of steps (If/Else
 * branches hold their own step lists) and settings {stopOnResponse, allowReentry}. Every action's
 * configuration schema is in ./workflow-actions.ts (re-exported here); the cloud's executors
 * (src/cloud/automation/actions) and the desktop builder both use these.
 */

const id = z.string().min(1).max(64);

// ── Triggers ────────────────────────────────────────────────────────────────────────────────────

export const callStatusFilterValues = ['answered', 'missed', 'voicemail', 'blocked'] as const;
export const appointmentStatuses = ['booked', 'confirmed', 'cancelled', 'no_show', 'completed'] as const;
export const appointmentStatusSchema = z.enum(appointmentStatuses);
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;

/** Tags a contact must have: any of them, all of them, none of them (each list optional). */
export const tagFilterSchema = z
  .object({
    any: z.array(z.string().min(1).max(50)).max(50).optional(),
    all: z.array(z.string().min(1).max(50)).max(50).optional(),
    none: z.array(z.string().min(1).max(50)).max(50).optional(),
  })
  .strict();
export type TagFilter = z.infer<typeof tagFilterSchema>;

/**
 * Call Details. With `dispositionIds` it fires when a call's disposition is set or changed to one
 * of them (by id: renaming a disposition never breaks a filter); without, when the call ends.
 */
export const callDetailsFiltersSchema = z
  .object({
    dispositionIds: z.array(id).min(1).max(10).optional(),
    direction: z.enum(['inbound', 'outbound']).optional(),
    durationSeconds: z.object({ gte: z.number().int().min(0).optional(), lte: z.number().int().min(0).optional() }).strict().optional(),
    contactTags: tagFilterSchema.optional(),
    callStatus: z.array(z.enum(callStatusFilterValues)).min(1).max(4).optional(),
    /** The line called (inbound) or called from (outbound): phone number ids. */
    phoneNumberIds: z.array(id).min(1).max(50).optional(),
  })
  .strict();
export type CallDetailsFilters = z.infer<typeof callDetailsFiltersSchema>;

export const triggerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call_details'), filters: callDetailsFiltersSchema.default({}) }).strict(),
  z.object({ type: z.literal('contact_created'), filters: z.object({ contactTags: tagFilterSchema.optional() }).strict().default({}) }).strict(),
  z.object({ type: z.literal('contact_tag_added'), filters: z.object({ tags: z.array(z.string().min(1).max(50)).min(1).max(50) }).strict() }).strict(),
  z.object({ type: z.literal('contact_tag_removed'), filters: z.object({ tags: z.array(z.string().min(1).max(50)).min(1).max(50) }).strict() }).strict(),
  z
    .object({
      type: z.literal('appointment_booked'),
      filters: z.object({ providerIds: z.array(id).max(50).optional(), calendars: z.array(z.string().min(1).max(100)).max(50).optional() }).strict().default({}),
    })
    .strict(),
  z
    .object({
      type: z.literal('appointment_status_changed'),
      filters: z
        .object({
          statuses: z.array(appointmentStatusSchema).min(1).max(5).optional(),
          providerIds: z.array(id).max(50).optional(),
          calendars: z.array(z.string().min(1).max(100)).max(50).optional(),
        })
        .strict()
        .default({}),
    })
    .strict(),
  /** A per-workflow URL with a secret; the posted JSON's fields become custom values. */
  z.object({ type: z.literal('inbound_webhook'), filters: z.object({}).strict().default({}) }).strict(),
  /** Only manual enrolment (the API, or another feature through enrolContact). Always possible besides any trigger. */
  z.object({ type: z.literal('manual'), filters: z.object({}).strict().default({}) }).strict(),
]);
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerType = Trigger['type'];

// ── Steps ───────────────────────────────────────────────────────────────────────────────────────

/** A step id: unique within its document, stable across versions (the execution log and statistics key on it). */
export const stepIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');
const actionName = z.string().trim().min(1).max(120);

const actionStepSchemas = actionTypes.map((type) => z.object({ id: stepIdSchema, name: actionName, type: z.literal(type), config: actionConfigSchemas[type] }).strict());
// zod's discriminated union needs a non-empty tuple.
export const actionStepSchema = z.discriminatedUnion('type', actionStepSchemas as unknown as [typeof actionStepSchemas[number], ...typeof actionStepSchemas]);

export type { ActionStep, IfElseBranch, IfElseStep, Step } from './workflow-steps';

export const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.union([
    actionStepSchema as unknown as z.ZodType<ActionStep>,
    z
      .object({
        id: stepIdSchema,
        name: actionName,
        type: z.literal('if_else'),
        branches: z
          .array(z.object({ id: stepIdSchema, name: actionName, conditions: conditionGroupSchema, steps: z.array(stepSchema).max(200) }).strict())
          .min(1)
          .max(10),
        elseSteps: z.array(stepSchema).max(200).default([]),
      })
      .strict(),
  ]),
) as z.ZodType<Step>;

export const workflowSettingsSchema = z
  .object({
    /** An inbound SMS/WhatsApp/email from the contact, or the contact answering a workflow's call, ends the run. */
    stopOnResponse: z.boolean().default(false),
    /** Allow a contact into the workflow again while (or after) a previous run. */
    allowReentry: z.boolean().default(false),
  })
  .strict();
export type WorkflowSettings = z.infer<typeof workflowSettingsSchema>;

export { walkSteps } from './workflow-steps';

export const workflowDocumentSchema = z
  .object({
    trigger: triggerSchema.nullable().default(null),
    steps: z.array(stepSchema).max(200).default([]),
    settings: workflowSettingsSchema.prefault({}),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    let count = 0;
    const check = (stepId: string): void => {
      if (seen.has(stepId)) ctx.addIssue({ code: 'custom', path: ['steps'], message: `Step id "${stepId}" is used twice` });
      seen.add(stepId);
    };
    walkSteps(doc.steps, (step, depth) => {
      count += 1;
      check(step.id);
      if (step.type === 'if_else') for (const b of step.branches) check(b.id);
      if (depth > 10) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'If/Else branches nest at most 10 deep' });
    });
    if (count > 500) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'A workflow has at most 500 steps' });
  });
export type WorkflowDocument = z.output<typeof workflowDocumentSchema>;

/** What a step would fail on at every run, as issues at `path` (a step's own path in the document). */
function addIncompleteStepIssues(step: Step, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (step.type !== 'slack') return;
  for (const issue of slackDestinationIssues(step.config)) ctx.addIssue({ code: 'custom', path: [...path, 'config', issue.path], message: issue.message });
}

/** One step as Save Action accepts it: valid, and complete enough to run (see slackDestinationIssues). */
export const completeStepSchema = stepSchema.superRefine((step, ctx) => addIncompleteStepIssues(step, [], ctx));

/**
 * A document as a save accepts it: `workflowDocumentSchema` plus the completeness checks, on every
 * step at its path (branches included). Reads keep the plain schema, so a step stored before a
 * check was added still loads and can be fixed in the builder.
 */
export const workflowDocumentInputSchema = workflowDocumentSchema.superRefine((doc, ctx) => {
  const visit = (steps: Step[], path: (string | number)[]): void =>
    steps.forEach((step, i) => {
      addIncompleteStepIssues(step, [...path, i], ctx);
      if (step.type !== 'if_else') return;
      step.branches.forEach((b, j) => visit(b.steps, [...path, i, 'branches', j, 'steps']));
      visit(step.elseSteps, [...path, i, 'elseSteps']);
    });
  visit(doc.steps, ['steps']);
});

/** Why a document cannot be published yet (empty: it can). The seed: "needs both a trigger and an action". */
export function publishProblems(doc: WorkflowDocument): string[] {
  const problems: string[] = [];
  // Each names what to add; both read as one sentence pair when the builder shows them together.
  if (!doc.trigger) problems.push('Add a trigger: a workflow needs both a trigger and an action before it can be published.');
  let actions = 0;
  walkSteps(doc.steps, (step) => {
    if (step.type !== 'if_else') actions += 1;
  });
  if (actions === 0) problems.push(doc.trigger ? 'Add an action: a workflow needs both a trigger and an action before it can be published.' : 'Add an action too.');
  // A draft saved before a completeness check was added: it would fail at every run.
  walkSteps(doc.steps, (step) => {
    if (step.type === 'slack') for (const issue of slackDestinationIssues(step.config)) problems.push(`“${step.name}”: ${issue.message}.`);
  });
  return problems;
}

// ── Merge fields ────────────────────────────────────────────────────────────────────────────────

export { mergeFieldPaths } from './merge-field-paths';

// ── API shapes ──────────────────────────────────────────────────────────────────────────────────

export const workflowStatusSchema = z.enum(['draft', 'published', 'paused']);
export type WorkflowStatus = z.infer<typeof workflowStatusSchema>;

export const workflowSchema = z.object({
  id,
  accountId: id,
  name: z.string(),
  status: workflowStatusSchema,
  /** The draft being edited (what the next publish freezes). */
  draft: workflowDocumentSchema,
  /** The version new runs start on; null before the first publish. */
  publishedVersion: z.number().int().nullable(),
  /** Has an inbound webhook secret been issued (the secret itself is shown once, when issued). */
  hasWebhookSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workflow = z.infer<typeof workflowSchema>;

export const workflowVersionSchema = z.object({
  workflowId: id,
  version: z.number().int(),
  document: workflowDocumentSchema,
  publishedAt: z.string(),
  publishedBy: id.nullable(),
});
export type WorkflowVersion = z.infer<typeof workflowVersionSchema>;

export const createWorkflowSchema = z.object({ name: z.string().trim().min(1).max(120), draft: workflowDocumentInputSchema.optional() }).strict();
export const updateWorkflowSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    draft: workflowDocumentInputSchema.optional(),
    /**
     * Sync Edits to Template: per template the draft's synced Send Email steps use, the template
     * version the editor's text started from. Saving writes those steps' text into the template; a
     * newer version there is refused (CONFLICT) rather than overwritten. Absent: written as is.
     */
    templateVersions: z
      .record(id, z.number().int().min(1))
      .refine((v) => Object.keys(v).length <= 200, 'at most 200 templates')
      .optional(),
  })
  .strict();
export const enrolContactSchema = z
  .object({ contactId: id, customValues: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).default({}) })
  .strict();

export const runStatusSchema = z.enum(['running', 'waiting', 'completed', 'stopped', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;
export const stepStatusSchema = z.enum(['pending', 'running', 'waiting', 'completed', 'error', 'skipped', 'removed']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const workflowRunSchema = z.object({
  id,
  workflowId: id,
  version: z.number().int(),
  contactId: id.nullable(),
  status: runStatusSchema,
  /** The domain event type that started it (`call.disposition_set`, `manual`, `inbound_webhook`…). */
  trigger: z.string(),
  /** Why it stopped or failed, in plain words. */
  reason: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type WorkflowRun = z.infer<typeof workflowRunSchema>;

/** One row of the execution log: one step of one run. */
export const runStepSchema = z.object({
  runId: id,
  workflowId: id,
  version: z.number().int(),
  contactId: id.nullable(),
  stepKey: z.string(),
  stepId: z.string(),
  name: z.string(),
  type: z.string(),
  status: stepStatusSchema,
  attempts: z.number().int(),
  input: z.unknown(),
  output: z.unknown(),
  /** The reason for a skip, an error, a wait or a removal, in plain words. */
  reason: z.string().nullable(),
  /** Merge fields that rendered blank (the trigger or the contact did not supply them). */
  blankFields: z.array(z.string()),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** A wait's deadline. */
  waitUntil: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  /** The entry's place in the log (execution log paging: `olderThan` the last one shown). */
  seq: z.string().regex(/^\d{1,19}$/).optional(),
});
export type RunStep = z.infer<typeof runStepSchema>;

export const workflowStatisticsSchema = z.object({
  workflowId: id,
  runs: z.object({ total: z.number().int(), running: z.number().int(), waiting: z.number().int(), completed: z.number().int(), stopped: z.number().int(), failed: z.number().int() }),
  steps: z.array(
    z.object({
      stepId: z.string(),
      name: z.string(),
      type: z.string(),
      counts: z.record(z.string(), z.number().int()),
      /** Per-action statistics the actions record (Delivered, Opened, Clicked, Failed…), counted once per run. */
      metrics: z.record(z.string(), z.number().int()),
    }),
  ),
});
export type WorkflowStatistics = z.infer<typeof workflowStatisticsSchema>;

/** A statistic's name as the actions record it (`delivered`, `opened`, `not_connected`…). */
export const stepMetricNameSchema = z.string().regex(/^[a-z][a-z_]{0,39}$/, 'a statistic name');
/** Recipient details of one statistic of one step (Delivered, Opened…): who, in which run, when — a page, newest first. */
export const metricRecipientsSchema = z.object({
  /** Every recipient recorded for the statistic (the page is part of them). */
  total: z.number().int(),
  recipients: z.array(
    z.object({
      /** Who it went to, as recorded: an email address, a phone number, a team member's name, a Slack channel. */
      recipient: z.string(),
      runId: z.string(),
      contactId: z.string().nullable(),
      contactName: z.string().nullable(),
      at: z.string(),
    }),
  ),
});
export type MetricRecipients = z.infer<typeof metricRecipientsSchema>;
/** Recipients per page of a statistic's details (the cloud's maximum). */
export const METRIC_RECIPIENTS_PAGE_SIZE = 50;
