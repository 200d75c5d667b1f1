import { describe, expect, it } from 'vitest';
import { numberFromTelLink, telLinkFromArgv } from './tel-links';
import { computeTrayModel } from './tray-model';

describe('tel: links', () => {
  it.each([
    ['tel:+14155550123', '+14155550123'],
    ['tel:+1-415-555-0123', '+14155550123'],
    ['TEL:(415) 555-0123', '4155550123'],
    ['tel:%2B14155550123', '+14155550123'],
    ['tel:+14155550123;ext=22', '+14155550123'],
    ['callto://+442071838750', '+442071838750'],
    ['callto:+44 20 7183 8750', '+442071838750'],
  ])('%s → %s', (link, number) => expect(numberFromTelLink(link)).toBe(number));

  it.each(['tel:', 'tel:abc', 'mailto:x@example.com', 'tel:%E0%A4%A', 'tel:12', 'javascript:alert(1)'])('rejects %s', (link) =>
    expect(numberFromTelLink(link)).toBeUndefined(),
  );

  it('finds the link among a second launch’s arguments', () => {
    expect(telLinkFromArgv(['/opt/softphone', '--flag', 'tel:+14155550123'])).toBe('tel:+14155550123');
    expect(telLinkFromArgv(['/opt/softphone'])).toBeUndefined();
  });
});

describe('tray model', () => {
  it('puts a ringing call above everything and enables answer/reject', () => {
    const model = computeTrayModel({ registration: 'registered', call: 'ringing', caller: '(415) 555-0123' }, 3, true);
    expect(model.icon).toBe('ringing');
    expect(model.tooltip).toContain('Incoming call from (415) 555-0123');
    expect(model.menu.filter((i) => i.enabled).map((i) => i.id)).toEqual(['show', 'answer', 'reject', 'alerts', 'quit']);
  });
  it('a call waiting beside the call in progress rings in the tray: Answer when the first call is on hold, Reject always, the call’s own items kept', () => {
    const onHold = computeTrayModel({ registration: 'registered', call: 'in-call', waiting: { caller: 'Sam Rivera', answerable: true } }, 0, true);
    expect(onHold.icon).toBe('ringing');
    expect(onHold.tooltip).toContain('Incoming call from Sam Rivera\nOn a call');
    expect(onHold.menu.filter((i) => i.enabled).map((i) => i.id)).toEqual(['show', 'answer', 'reject', 'hangUp', 'mute', 'alerts', 'quit']);
    const live = computeTrayModel({ registration: 'registered', call: 'in-call', waiting: { caller: null, answerable: false } }, 0, true);
    expect(live.tooltip).toContain('Incoming call (hold or end this call to answer)');
    expect(live.menu.filter((i) => i.enabled).map((i) => i.id)).toEqual(['show', 'reject', 'hangUp', 'mute', 'alerts', 'quit']);
    // Only beside a call in progress: a report in wrap-up never carries one.
    expect(computeTrayModel({ registration: 'registered', call: 'wrap-up', waiting: { caller: 'x', answerable: true } }, 0, true).icon).not.toBe('ringing');
  });
  it('shows offline when the phone cannot receive calls, and unread alerts otherwise', () => {
    expect(computeTrayModel({ registration: 'offline', call: 'idle' }, 0, false)).toMatchObject({
      icon: 'offline',
      tooltip: expect.stringContaining('Not receiving calls'),
    });
    expect(computeTrayModel({ registration: 'registered', call: 'idle' }, 2, true)).toMatchObject({
      icon: 'unread',
      tooltip: expect.stringContaining('2 unread alerts'),
    });
    expect(computeTrayModel({ registration: 'registered', call: 'in-call', muted: true }, 0, true).menu.find((i) => i.id === 'mute')).toEqual({
      id: 'mute',
      label: 'Unmute',
      enabled: true,
    });
  });
});
