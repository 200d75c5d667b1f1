import { describe, expect, it } from 'vitest';
import { computeTrayModel } from './tray-model';

describe('tray: open Manual Actions tasks', () => {
  it('says how many tasks are open, and nothing when there are none', () => {
    const phone = { registration: 'registered' as const, call: 'idle' as const };
    expect(computeTrayModel(phone, 0, true, 3).tooltip).toContain('3 open tasks');
    expect(computeTrayModel(phone, 0, true, 1).tooltip).toContain('1 open task');
    expect(computeTrayModel(phone, 0, true, 0).tooltip).not.toContain('open task');
    expect(computeTrayModel(phone, 0, true).tooltip).not.toContain('open task');
  });
});
