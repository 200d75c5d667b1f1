import { setFlagsFromString } from 'node:v8';
import { startupTrace } from './startup-trace';

/**
 * V8 recompiles a JavaScript function with its optimising compiler (TurboFan, on a background
 * thread) once the function has run through its "interrupt budget" of bytecode. A start runs a great
 * deal of code a few times each (module bodies, zod schemas, route registration, the first queries),
 * and at V8's default budget that sets off TurboFan work the start never gets back. With a budget
 * 50 times the default, the browser host alone on 2 cores served at 1.11 s instead of 1.22 s, with
 * 1.68 s of CPU instead of 1.85 s (6 alternating starts each; issue #21), and the cold-start bench's
 * p50 moved 1.95 → 1.87 s (7 alternating runs each, noisy). So the budget is
 * raised while the process starts and put back once the phone is ready for calls (or at the latest
 * START_TIERING_LATEST_MS after), when what stays hot is optimised as usual.
 *
 * Only on the V8 this was measured on, whose default is known: setFlagsFromString cannot read a
 * flag, and putting back a guessed default could slow a long-running process. V8 flags are
 * process-wide, so the database and cache worker threads start under the same budget.
 */

/** V8 11.3's (Node 20's) default `--interrupt-budget`, in bytes of bytecode: 66 KB. */
const DEFAULT_BUDGETS: Readonly<Record<string, number>> = { '11.3': 66 * 1024 };
/** The start's budget, as a multiple of the default (10× gave most of the gain, 50× as much as turning TurboFan off). */
const START_FACTOR = 50;
/** Put back this long after the start began even if no phone ever registers (no page open). */
export const START_TIERING_LATEST_MS = 20_000;

export interface StartTieringOptions {
  /** `process.versions.v8`. */
  v8Version?: string;
  setFlags?: (flags: string) => void;
  /** Node's own flags: a budget given there (`node --interrupt-budget=…`; NODE_OPTIONS refuses it) stays. */
  execArgv?: readonly string[];
  setTimer?: (run: () => void, ms: number) => { unref?: () => unknown };
  trace?: (phase: string) => void;
}

export interface StartTiering {
  /** What was done, for the startup trace. */
  readonly state: string;
  /** Puts V8's default budget back (once; later calls do nothing). */
  end(reason: string): void;
}

const BUDGET_FLAG = /--interrupt[-_]budget\b/;

let current: StartTiering | null = null;

/** Raises the budget for this process's start; the entry calls it before loading anything heavy. */
export function deferOptimisingDuringStart(options: StartTieringOptions = {}): StartTiering {
  const version = (options.v8Version ?? process.versions.v8).split('.').slice(0, 2).join('.');
  const setFlags = options.setFlags ?? setFlagsFromString;
  const trace = options.trace ?? startupTrace;
  const defaultBudget = DEFAULT_BUDGETS[version];
  const ownFlag = (options.execArgv ?? process.execArgv).some((arg) => BUDGET_FLAG.test(arg));
  if (defaultBudget === undefined || ownFlag) {
    const state = ownFlag ? 'off (the interrupt budget was set when Node started)' : `off (not measured on V8 ${version})`;
    return (current = { state, end: () => undefined });
  }
  setFlags(`--interrupt-budget=${defaultBudget * START_FACTOR}`);
  let ended = false;
  const tiering: StartTiering = {
    state: `deferred (interrupt budget ×${START_FACTOR} until the phone is ready)`,
    end(reason) {
      if (ended) return;
      ended = true;
      setFlags(`--interrupt-budget=${defaultBudget}`);
      trace(`optimising compiler back to V8's default budget (${reason})`);
    },
  };
  (options.setTimer ?? setTimeout)(() => tiering.end(`${START_TIERING_LATEST_MS / 1000} s after the start`), START_TIERING_LATEST_MS).unref?.();
  return (current = tiering);
}

/**
 * Ends this process's start deferral `afterMs` from now, if one is on: the core calls it when the
 * phone is ready, with a moment for the page to paint it first. Later calls do nothing.
 */
export function endStartTiering(reason: string, afterMs = 0): void {
  const tiering = current;
  if (!tiering) return;
  current = null;
  if (afterMs <= 0) tiering.end(reason);
  else setTimeout(() => tiering.end(reason), afterMs).unref();
}
