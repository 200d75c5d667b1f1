import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { formatDateTime } from '../merge-data';
import type { ActionContext, ActionDefinition, ActionResult } from './types';

type WaitConfig = ActionConfig<'wait'>;
const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/**
 * Wait: a duration, or until a time relative to the run's appointment. A waiting run is a row
 * (run_steps.wait_until) and a delayed pg-boss job — no timer in memory. Waiting for an
 * appointment re-reads it when it wakes: a rescheduled appointment moves the wait with it.
 * "Already past" follows the step's `ifPast`: continue, skip the next step (the stale reminder),
 * or end the run.
 */
export const waitAction: ActionDefinition<WaitConfig> = {
  type: 'wait',
  category: 'flow',
  configSchema: actionConfigSchemas.wait,
  needsContact: false,
  async execute(ctx, config) {
    if (config.mode === 'duration') {
      const until = new Date(ctx.clock.now() + config.amount * UNIT_MS[config.unit]).toISOString();
      return { status: 'waiting', until, reason: `Waiting ${config.amount} ${config.unit} (until ${formatDateTime(until, ctx.account.timezone)})`, output: { until } };
    }
    return untilAppointment(ctx, config, false);
  },
  async resume(ctx, config, wake) {
    if (wake.kind !== 'deadline') return { status: 'waiting', reason: 'Still waiting' };
    if (config.mode === 'duration') return { status: 'completed', reason: `Waited ${config.amount} ${config.unit}`, output: { until: wake.at } };
    return untilAppointment(ctx, config, true);
  },
};

async function untilAppointment(ctx: ActionContext, config: Extract<WaitConfig, { mode: 'appointment' }>, woke: boolean): Promise<ActionResult> {
  const appointmentId = ctx.run.context.appointmentId;
  if (!appointmentId) return { status: 'skipped', reason: 'This run has no appointment (its trigger is not an appointment trigger)' };
  const rows = await ctx.db.query<{ starts_at: string; status: string }>(`SELECT starts_at, status FROM appointments WHERE id = $1 AND account_id = $2`, [
    appointmentId, ctx.run.accountId,
  ]);
  const appointment = rows[0];
  if (!appointment) return { status: 'skipped', reason: 'The appointment no longer exists' };
  const offset = config.amount * UNIT_MS[config.unit] * (config.relation === 'before' ? -1 : 1);
  const target = Date.parse(appointment.starts_at) + offset;
  const targetIso = new Date(target).toISOString();
  const when = formatDateTime(targetIso, ctx.account.timezone);
  const now = ctx.clock.now();
  // Woken at (or after) the target: done. A rescheduled appointment may have moved the target later.
  if (target > now) return { status: 'waiting', until: targetIso, reason: `${woke ? 'The appointment moved: waiting' : 'Waiting'} until ${when}`, output: { until: targetIso } };
  if (woke) return { status: 'completed', reason: `Waited until ${when}`, output: { until: targetIso } };
  const past = `${when} had already passed when the run reached this wait`;
  switch (config.ifPast) {
    case 'continue':
      return { status: 'completed', reason: `${past}: continued`, output: { until: targetIso, past: true } };
    case 'skip_next':
      return { status: 'completed', reason: `${past}: skipped the next step`, output: { until: targetIso, past: true }, skipNext: 1 };
    case 'end':
      return { status: 'completed', reason: `${past}: ended the run`, output: { until: targetIso, past: true }, endRun: true };
  }
}
