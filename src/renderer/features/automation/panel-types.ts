import type { ActionStep, TriggerType } from '../../../shared/cloud/workflows';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';

/** What every action panel's body receives: its step's config, a way to change it, inline errors by config key. */
export interface PanelProps<S extends ActionStep = ActionStep> {
  step: S;
  /** Merges `patch` into the step's config. */
  set: (patch: Partial<S['config']>) => void;
  /** Replaces the whole config (a discriminated config changing its kind: Wait mode, notification type). */
  replace: (config: S['config']) => void;
  /** Inline validation messages keyed by config path (`fromEmail`, `cc.0`…). */
  errors: Record<string, string>;
  trigger: TriggerType | null;
  options: BuilderOptions | null;
}

export const userOptions = (options: BuilderOptions | null) => (options?.users ?? []).map((u) => ({ value: u.id, label: u.name }));
export const numberOptions = (options: BuilderOptions | null) => [
  { value: '', label: 'Default (the assigned user’s number, else the practice’s first)' },
  ...(options?.numbers ?? []).map((n) => ({ value: n.id, label: `${n.name} (${n.number})` })),
];
export const templateOptions = (options: BuilderOptions | null, channel: 'email' | 'sms') => [
  { value: '', label: 'No template' },
  ...(options?.templates ?? []).filter((t) => t.channel === channel).map((t) => ({ value: t.id, label: t.name })),
];
