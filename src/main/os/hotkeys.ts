import { hotkeyActions, type HotkeyAction, type HotkeySettings } from '../../shared/settings';
import type { HotkeyStatus } from '../../shared/ipc/hotkeys';
import { dispositionKey, MAX_KEYED_DISPOSITIONS } from '../../shared/disposition-keys';
import type { HotkeyPort } from './ports';

export type HotkeyCommand = { kind: HotkeyAction } | { kind: 'disposition'; index: number };

const ACTION_LABEL: Record<HotkeyAction, string> = {
  answer: 'Answer',
  hangUp: 'Hang up',
  mute: 'Mute',
  showWindow: 'Show window',
  nextTask: 'Next task',
  skipTask: 'Skip task',
  completeTask: 'Complete task',
};

const MODIFIER_ALIASES: Record<string, string> = {
  cmdorctrl: 'CommandOrControl',
  commandorcontrol: 'CommandOrControl',
  ctrl: 'Control',
  control: 'Control',
  cmd: 'Command',
  command: 'Command',
  super: 'Super',
  meta: 'Super',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
};

/** One spelling per shortcut, so "ctrl+shift+a" and "Shift+Control+A" are seen as the same keys. */
export function normalizeAccelerator(accelerator: string): string {
  const parts = accelerator.split('+').map((p) => p.trim()).filter(Boolean);
  const key = parts.pop() ?? '';
  const modifiers = [...new Set(parts.map((m) => MODIFIER_ALIASES[m.toLowerCase()] ?? m))].sort();
  return [...modifiers, key.length === 1 ? key.toUpperCase() : key].join('+');
}


/** The shortcut for each action, and for each disposition slot during wrap-up. */
function wantedShortcuts(hotkeys: HotkeySettings, dispositionSlots: number): Array<{ command: HotkeyCommand; label: string; accelerator: string | null }> {
  const wanted: Array<{ command: HotkeyCommand; label: string; accelerator: string | null }> = hotkeyActions.map((action) => ({
    command: { kind: action },
    label: ACTION_LABEL[action],
    accelerator: hotkeys[action],
  }));
  for (let index = 0; index < dispositionSlots; index++) {
    wanted.push({
      command: { kind: 'disposition', index },
      label: `Disposition ${index + 1}`,
      accelerator: hotkeys.dispositionModifier ? `${hotkeys.dispositionModifier}+${dispositionKey(index)}` : null,
    });
  }
  return wanted;
}

/** Pairs of actions that share keys, worded for the Settings screen. Empty when there is none. */
export function findHotkeyConflicts(hotkeys: HotkeySettings): string[] {
  const owners = new Map<string, string>();
  const conflicts: string[] = [];
  for (const { label, accelerator } of wantedShortcuts(hotkeys, MAX_KEYED_DISPOSITIONS)) {
    if (!accelerator) continue;
    const key = normalizeAccelerator(accelerator);
    const owner = owners.get(key);
    if (owner) conflicts.push(`${accelerator} is set for both ${owner} and ${label}.`);
    else owners.set(key, label);
  }
  return conflicts;
}

/**
 * Registers the global shortcuts and keeps a report of each one's fate: active, off, a conflict,
 * or refused by the OS (another program holds it). Disposition shortcuts exist only during wrap-up.
 */
export class HotkeyService {
  private registered = new Map<string, HotkeyCommand>();
  private report: HotkeyStatus[] = [];
  private hotkeys: HotkeySettings | undefined;
  private wrapUpSlots = 0;

  constructor(
    private readonly port: HotkeyPort,
    private readonly onCommand: (command: HotkeyCommand) => void,
  ) {}

  get status(): HotkeyStatus[] {
    return this.report;
  }

  apply(hotkeys: HotkeySettings): HotkeyStatus[] {
    this.hotkeys = hotkeys;
    return this.refresh();
  }

  /** Wrap-up started (with this many dispositions) or ended (0). */
  setWrapUp(dispositionSlots: number): HotkeyStatus[] {
    this.wrapUpSlots = Math.max(0, Math.min(MAX_KEYED_DISPOSITIONS, dispositionSlots));
    return this.refresh();
  }

  dispose(): void {
    for (const accelerator of this.registered.keys()) this.port.unregister(accelerator);
    this.registered.clear();
  }

  private refresh(): HotkeyStatus[] {
    if (!this.hotkeys) return [];
    this.dispose();
    const taken = new Map<string, string>();
    this.report = wantedShortcuts(this.hotkeys, this.wrapUpSlots).map(({ command, label, accelerator }) => {
      const id = command.kind === 'disposition' ? `disposition-${command.index + 1}` : command.kind;
      if (!accelerator) return { id, label, accelerator: null, state: 'off' as const, message: null };
      const key = normalizeAccelerator(accelerator);
      const owner = taken.get(key);
      if (owner) {
        return { id, label, accelerator, state: 'conflict' as const, message: `${accelerator} is already used for ${owner}. Choose another shortcut in Settings.` };
      }
      taken.set(key, label);
      if (!this.port.supported) {
        return { id, label, accelerator, state: 'unavailable' as const, message: null };
      }
      const ok = this.port.register(accelerator, () => this.onCommand(command));
      if (!ok) {
        return {
          id,
          label,
          accelerator,
          state: 'refused' as const,
          message: `Another program already uses ${accelerator}, so “${label}” has no global shortcut. Choose another in Settings.`,
        };
      }
      this.registered.set(accelerator, command);
      return { id, label, accelerator, state: 'active' as const, message: null };
    });
    return this.report;
  }
}
