import { describe, expect, it } from 'vitest';
import { withBadgeDot } from './tray-badge';
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

describe('tray: the open-task badge', () => {
  const phone = { registration: 'registered' as const, call: 'idle' as const };
  it('carries the count (99+ above 99), none when no task is open; the Tasks menu item opens the tab only when there are some', () => {
    expect(computeTrayModel(phone, 0, true, 3).badge).toBe('3');
    expect(computeTrayModel(phone, 0, true, 150).badge).toBe('99+');
    expect(computeTrayModel(phone, 0, true, 0).badge).toBeNull();
    expect(computeTrayModel(phone, 2, true).badge).toBeNull(); // unread alerts are the icon's own state, not this badge
    expect(computeTrayModel(phone, 0, true, 3).menu.find((i) => i.id === 'tasks')).toEqual({ id: 'tasks', label: 'Tasks (3 open)', enabled: true });
    expect(computeTrayModel(phone, 0, true, 0).menu.find((i) => i.id === 'tasks')?.enabled).toBe(false);
    // A ringing call keeps its icon; the badge stays.
    expect(computeTrayModel({ ...phone, call: 'ringing' }, 0, true, 2)).toMatchObject({ icon: 'ringing', badge: '2' });
  });

  it('draws a red dot with a white ring in the top-right corner and leaves the rest of the icon alone', () => {
    const size = 16;
    const icon = Buffer.alloc(size * size * 4, 0x40);
    const badged = withBadgeDot(icon, size, size);
    const px = (x: number, y: number) => [...badged.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    const r = Math.round(size * 0.22);
    expect(px(size - r - 1, r - 1)).toEqual([0x20, 0x2d, 0xd9, 255]); // the dot's centre: red (BGRA)
    expect(px(0, size - 1)).toEqual([0x40, 0x40, 0x40, 0x40]); // bottom-left untouched
    expect(px(2, 2)).toEqual([0x40, 0x40, 0x40, 0x40]); // top-left untouched
    expect(icon.every((b) => b === 0x40)).toBe(true); // the input is not changed
    expect(() => withBadgeDot(Buffer.alloc(10), size, size)).toThrow(/BGRA bitmap/);
  });
});
