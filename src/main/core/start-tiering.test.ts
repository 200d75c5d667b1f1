import { afterEach, describe, expect, it, vi } from 'vitest';
import { START_TIERING_LATEST_MS, deferOptimisingDuringStart, endStartTiering, type StartTieringOptions } from './start-tiering';

/** A start on Node 20's V8 with nothing set by whoever ran it; flags and timers recorded. */
function start(overrides: StartTieringOptions = {}) {
  const flags: string[] = [];
  const traced: string[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const tiering = deferOptimisingDuringStart({
    v8Version: '11.3.244.8-node.38',
    execArgv: [],
    setFlags: (flag) => flags.push(flag),
    setTimer: (run, ms) => (timers.push({ run, ms }), {}),
    trace: (phase) => traced.push(phase),
    ...overrides,
  });
  return { tiering, flags, traced, timers };
}

afterEach(() => {
  endStartTiering('test over');
  vi.useRealTimers();
});

describe('deferOptimisingDuringStart', () => {
  it('raises the interrupt budget 50-fold for the start and puts the default back once', () => {
    const { tiering, flags, traced } = start();
    expect(flags).toEqual(['--interrupt-budget=3379200']);
    expect(tiering.state).toMatch(/^deferred/);
    tiering.end('the phone is ready');
    tiering.end('again');
    expect(flags).toEqual(['--interrupt-budget=3379200', '--interrupt-budget=67584']);
    expect(traced).toEqual(["optimising compiler back to V8's default budget (the phone is ready)"]);
  });

  it('puts it back at the latest 20 s after the start, when no phone registers', () => {
    const { flags, traced, timers } = start();
    expect(timers.map((t) => t.ms)).toEqual([START_TIERING_LATEST_MS]);
    timers[0]!.run();
    expect(flags.at(-1)).toBe('--interrupt-budget=67584');
    expect(traced[0]).toContain('20 s after the start');
  });

  it('leaves V8 alone on a V8 it was not measured on, or when Node was started with a budget', () => {
    const other = start({ v8Version: '14.0.365.4-electron.0' });
    expect(other.flags).toEqual([]);
    expect(other.tiering.state).toBe('off (not measured on V8 14.0)');
    const ownFlag = start({ execArgv: ['--interrupt-budget=1000'] });
    expect(ownFlag.flags).toEqual([]);
    expect(ownFlag.tiering.state).toMatch(/^off \(the interrupt budget was set/);
    expect(start({ execArgv: ['--max-old-space-size=4096', '--interrupt_budget=5000'] }).flags).toEqual([]);
    other.tiering.end('nothing to end');
    expect(other.flags).toEqual([]);
  });

  it('endStartTiering ends the current start after the delay given, once however often the phone reports', () => {
    vi.useFakeTimers();
    const { flags } = start();
    endStartTiering('the phone is ready', 500);
    endStartTiering('the phone is ready', 500);
    vi.advanceTimersByTime(499);
    expect(flags).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(flags).toEqual(['--interrupt-budget=3379200', '--interrupt-budget=67584']);
    vi.advanceTimersByTime(1_000);
    expect(flags).toHaveLength(2);
  });

  it('the real V8 takes both flags', () => {
    const tiering = deferOptimisingDuringStart({ trace: () => undefined });
    expect(tiering.state).toMatch(/^(deferred|off)/);
    expect(() => tiering.end('test')).not.toThrow();
  });
});
