import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Contact } from '../../../shared/cloud/entities';
import type { ActionType } from '../../../shared/cloud/workflows';
import type { Database } from '../../db';
import type { UnitOfWork } from '../../db/unit-of-work';
import type { AutomationPorts } from '../ports';
import type { MergeData } from '../merge-fields';

/**
 * The action interface. Each action is its own file in this folder exporting an ActionDefinition,
 * listed in `registry.ts`. The engine claims a step, calls `execute` (or `resume` when a waiting
 * step is woken), and records what it returns in the execution log — atomically with scheduling
 * the next step.
 *
 * THE RULE: `execute` may run more than once for the same step (a worker crash, a retry after an
 * exception, a claim that lapsed). Every side effect therefore goes through `ctx.effect` (outside
 * systems: Twilio, SMTP, Slack) or `ctx.dbEffect` (our own tables), keyed by a name that is stable
 * for that step; the ledger makes each happen at most once and hands back its stored result.
 */
export interface ActionDefinition<C = unknown> {
  type: ActionType;
  category: 'communication' | 'contact' | 'flow';
  /** Premium actions (Slack) count premium executions and need the account's premium actions enabled. */
  premium?: boolean;
  /** The shared config schema (`actionConfigSchemas[type]`); the engine parses the stored config with it. */
  configSchema: z.ZodType<C>;
  /** false: runs without a contact (contactless internal notifications). Default true: skipped without one. */
  needsContact?: boolean;
  /**
   * true: the action's only side effect is one `dbEffect`, and after it the action reads nothing
   * but what it returns. The engine then runs that change in the transaction that records the step
   * (one commit per step instead of two).
   */
  dbEffectLast?: boolean;
  execute(ctx: ActionContext, config: C): Promise<ActionResult>;
  /** A waiting step woke: a signal for its wait key arrived, or its deadline passed. Required for actions that wait. */
  resume?(ctx: ActionContext, config: C, wake: Wake): Promise<ActionResult>;
}

/** What a step came to. `output` is stored in the log (keep it small and free of secrets). */
export type ActionResult =
  /**
   * Done. `skipNext` skips that many following steps of the same list (Wait's "already past: skip
   * the stale reminder"); `endRun` ends the run here, completed, with `reason`.
   */
  | { status: 'completed'; output?: unknown; reason?: string; skipNext?: number; endRun?: boolean }
  /** Nothing done, for a reason the admin should read ("The contact has no email address"). The run goes on. */
  | { status: 'skipped'; reason: string; output?: unknown }
  /** Failed for good (not worth retrying). The run goes on unless `stopRun`. */
  | { status: 'error'; reason: string; output?: unknown; stopRun?: boolean }
  /**
   * Wait for an outside signal on `waitKey` (e.g. `task:<id>`, `call:<sid>`, see `signalWaitingSteps`)
   * and/or until `until` (ISO time). At least one of them. `resume` decides what happens next.
   */
  | { status: 'waiting'; reason: string; waitKey?: string; until?: string; output?: unknown };

export type Wake =
  | { kind: 'signal'; waitKey: string; payload: Record<string, unknown>; receivedAt: string }
  | { kind: 'deadline'; at: string };

export interface RunInfo {
  id: string;
  accountId: string;
  workflowId: string;
  version: number;
  /** The domain event type (or `manual`, `inbound_webhook`) that started the run. */
  trigger: string;
  startedAt: string;
  contactId: string | null;
  /** What the trigger supplied: callId, appointmentId, dispositionId, webhook fields, custom values. */
  context: RunContext;
  stopOnResponse: boolean;
}

export interface RunContext {
  callId?: string;
  dispositionId?: string;
  appointmentId?: string;
  taskId?: string;
  /** Inbound webhook JSON (flattened one level into custom values too). */
  webhook?: Record<string, unknown>;
  customValues?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface StepInfo {
  /** Unique within the run; the intent ledger and signals key on it. */
  key: string;
  id: string;
  name: string;
  type: ActionType;
  /** 1 on the first try. */
  attempt: number;
}

export interface AccountInfo {
  id: string;
  name: string;
  companyPhone: string | null;
  premiumActionsEnabled: boolean;
  /** IANA zone of the account's first location (merge-field dates are rendered in it). */
  timezone: string;
}

export interface Clock {
  now(): number;
}

export interface EffectOptions<T> {
  /**
   * A previous attempt recorded the intent but never its result (the worker died in between, or
   * the call threw without saying whether the provider acted). Return the result if the effect
   * did happen (look it up at the provider), or `undefined` if it did not (it is then performed).
   * Without it, the effect is NOT performed again: the step ends in error "may or may not have
   * happened" — never twice.
   */
  reconcile?: () => Promise<T | undefined>;
}

/** Thrown by an effect's `perform` when the provider refused and certainly did nothing: the effect may be tried again. */
export class EffectRefused extends Error {
  constructor(
    message: string,
    /** Permanent refusals end the step in error instead of being retried. */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'EffectRefused';
  }
}

export interface ActionContext {
  readonly run: RunInfo;
  readonly step: StepInfo;
  /** The run's contact as it is now (null for contactless runs or a deleted contact). */
  readonly contact: Contact | null;
  readonly account: AccountInfo;
  readonly clock: Clock;
  readonly ports: AutomationPorts;
  /** Read-only use: reads outside the ledger. Writes go through dbEffect. */
  readonly db: Database;
  readonly log: Logger;
  /** The merge data (contact, user, call, appointment, account, custom values, webhook fields), loaded on first use. */
  mergeData(): Promise<MergeData>;
  /**
   * Renders a merge-field template (handlebars). `html: true` escapes values (email bodies).
   * Fields that render blank are recorded and listed in the execution log. `data` adds merge data
   * for this render only (a text's trigger links, made for its contact: trigger-links.ts).
   */
  render(template: string, options?: { html?: boolean; data?: MergeData }): Promise<string>;
  /** An outside side effect, at most once per (step, key); returns the stored result on a repeat. */
  effect<T>(key: string, perform: () => Promise<T>, options?: EffectOptions<T>): Promise<T>;
  /** A change to our own tables, exactly once per (step, key): runs in one transaction with its ledger row. */
  dbEffect<T>(key: string, perform: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /** Counts a per-action statistic once per run (and subject): `delivered`, `failed`, `clicked`… */
  metric(name: string, subject?: string): Promise<void>;
}
