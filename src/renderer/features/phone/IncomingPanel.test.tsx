import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { incomingCall } from '../../voice/call-machine';
import { installFakeBridge } from '../../testing/fake-bridge';
import { IncomingPanel } from './IncomingPanel';
import { usePhone } from './phone-store';

installFakeBridge();
const ringing = (id: string, from: string) => incomingCall({ id, from, to: '+13105550100', callSid: `CA${id}`, customParameters: {}, at: 0 });

afterEach(cleanup);

describe('IncomingPanel: dormant between calls, filled in by a ring', () => {
  it('dormant: laid out but inert, unnamed, not the incoming panel, no caller and no paint mark', () => {
    const { container } = render(<IncomingPanel call={null} keysOn={null} busy={false} answerRefusal={null} />);
    const section = container.querySelector('section')!;
    expect(section.className).toContain('dormant');
    expect(section.inert).toBe(true);
    expect(section.hasAttribute('aria-label')).toBe(false);
    expect(screen.queryByTestId('incoming-panel')).toBeNull();
    expect(container.querySelector('[elementtiming]')).toBeNull();
    expect(container.querySelector('h2')!.textContent).toBe('');
  });

  it('a ring reuses the same panel, shows the caller in a new marked heading, and over the dialer only when asked', () => {
    const { container, rerender } = render(<IncomingPanel call={null} keysOn={null} busy={false} answerRefusal={null} />);
    const dormant = container.querySelector('section')!;
    rerender(<IncomingPanel call={ringing('1', '+12135550001')} keysOn={ringing('1', '+12135550001')} busy={false} answerRefusal={null} overlay />);
    const panel = screen.getByTestId('incoming-panel');
    expect(panel).toBe(dormant);
    expect(panel.inert).toBe(false);
    expect(panel.className).toContain('overlay');
    expect(panel.className).not.toContain('dormant');
    expect(panel.getAttribute('aria-label')).toMatch(/^Incoming call from /);
    const heading = screen.getByRole('heading', { level: 2 });
    expect(heading.getAttribute('elementtiming')).toBe('incoming-call');
    expect(heading.textContent).toContain('213');
    expect(screen.getByRole('button', { name: /Answer/ })).toBeTruthy();

    // In the flow a frame later; the next call gets a heading of its own (a paint is reported once per element).
    rerender(<IncomingPanel call={ringing('1', '+12135550001')} keysOn={ringing('1', '+12135550001')} busy={false} answerRefusal={null} />);
    expect(panel.className).not.toContain('overlay');
    rerender(<IncomingPanel call={ringing('2', '+12135550002')} keysOn={ringing('2', '+12135550002')} busy={false} answerRefusal={null} />);
    expect(screen.getByRole('heading', { level: 2 })).not.toBe(heading);
    rerender(<IncomingPanel call={null} keysOn={null} busy={false} answerRefusal={null} />);
    expect(container.querySelector('section')).toBe(dormant);
    expect(screen.queryByTestId('incoming-panel')).toBeNull();
  });

  it("a ring fills in the dormant panel's empty heading; the heading is replaced once the call leaves, ready for the next ring", () => {
    const { container, rerender } = render(<IncomingPanel call={null} keysOn={null} busy={false} answerRefusal={null} />);
    const empty = container.querySelector('h2')!;
    rerender(<IncomingPanel call={ringing('4', '+12135550004')} keysOn={ringing('4', '+12135550004')} busy={false} answerRefusal={null} overlay />);
    expect(container.querySelector('h2')).toBe(empty);
    expect(empty.getAttribute('elementtiming')).toBe('incoming-call');
    rerender(<IncomingPanel call={ringing('4', '+12135550004')} keysOn={ringing('4', '+12135550004')} busy={false} answerRefusal={null} />);
    expect(container.querySelector('h2')).toBe(empty);
    rerender(<IncomingPanel call={null} keysOn={null} busy={false} answerRefusal={null} />);
    const next = container.querySelector('h2')!;
    expect(next).not.toBe(empty);
    expect(next.hasAttribute('elementtiming')).toBe(false);
    rerender(<IncomingPanel call={ringing('5', '+12135550005')} keysOn={ringing('5', '+12135550005')} busy={false} answerRefusal={null} overlay />);
    expect(container.querySelector('h2')).toBe(next);
  });

  it("the ring's own frame draws the caller alone; the screen pop's rows come with the panel's move into the flow", () => {
    usePhone.getState().setLookup('+12135550003', null); // a caller the local cache does not know
    const { rerender } = render(<IncomingPanel call={ringing('3', '+12135550003')} keysOn={ringing('3', '+12135550003')} busy={false} answerRefusal={null} overlay />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toContain('555-0003');
    expect(screen.queryByText('Not in your contacts yet')).toBeNull();
    rerender(<IncomingPanel call={ringing('3', '+12135550003')} keysOn={ringing('3', '+12135550003')} busy={false} answerRefusal={null} />);
    expect(screen.getByText('Not in your contacts yet')).toBeTruthy();
  });
});
