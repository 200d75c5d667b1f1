import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowStatistics } from '../../../shared/cloud/workflows';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ExecutionLogStatistics } from './ExecutionLogStatistics';

const fake = installFakeBridge();
const stats: WorkflowStatistics = {
  workflowId: 'wf_1',
  runs: { total: 3, running: 0, waiting: 0, completed: 3, stopped: 0, failed: 0 },
  steps: [
    { stepId: 'email', name: 'Booking email', type: 'send_email', counts: { completed: 3 }, metrics: { delivered: 3, opened: 1 } },
    { stepId: 'tag', name: 'Tag them', type: 'add_tag', counts: { completed: 3 }, metrics: {} },
  ],
};
const recipient = (n: number) => ({ recipient: `guest${n}@example.com`, runId: `run_${n}`, contactId: `con_${n}`, contactName: `Guest ${n}`, at: '2026-11-20T10:00:00Z' });

beforeEach(() => {
  fake.calls.length = 0;
  // Three delivered (pages of two here), one opened.
  fake.handlers['automation.statisticRecipients'] = (input) => {
    const { metric, offset = 0 } = input as { metric: string; offset?: number };
    const all = metric === 'delivered' ? [recipient(3), recipient(2), recipient(1)] : [recipient(2)];
    return { total: all.length, recipients: all.slice(offset, offset + 2) };
  };
});
afterEach(cleanup);

describe('Per-action statistics: recipient details', { timeout: 30_000 }, () => {
  it('a count is a button that lists who it counts, pages on, and closes back onto the count, all by keyboard', async () => {
    const user = userEvent.setup();
    render(<ExecutionLogStatistics workflowId="wf_1" stats={stats} />);
    const delivered = screen.getByRole('button', { name: /^Delivered 3: show recipients of Booking email/ });
    expect(delivered.getAttribute('aria-expanded')).toBe('false');
    delivered.focus();
    await user.keyboard('{Enter}');
    const panel = await screen.findByRole('region', { name: 'Delivered: Booking email' });
    expect(await within(panel).findByText('Guest 3 — guest3@example.com')).toBeTruthy();
    expect(within(panel).getByRole('status').textContent).toBe('2 of 3 recipients shown.');
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Delivered: Booking email' }));
    expect(delivered.getAttribute('aria-expanded')).toBe('true');

    within(panel).getByRole('button', { name: 'Show more recipients' }).focus();
    await user.keyboard('{Enter}');
    expect(await within(panel).findByText('Guest 1 — guest1@example.com')).toBeTruthy();
    expect(within(panel).getByRole('status').textContent).toBe('3 of 3 recipients shown.');
    expect(within(panel).queryByRole('button', { name: 'Show more recipients' })).toBeNull();
    expect(fake.callsTo('automation.statisticRecipients')).toEqual([
      { workflowId: 'wf_1', stepId: 'email', metric: 'delivered', offset: 0 },
      { workflowId: 'wf_1', stepId: 'email', metric: 'delivered', offset: 2 },
    ]);

    within(panel).getByRole('button', { name: 'Close recipients' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('region', { name: 'Delivered: Booking email' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /^Delivered 3: show recipients/ }));

    await user.click(screen.getByRole('button', { name: /^Opened 1/ }));
    const opened = await screen.findByRole('region', { name: 'Opened: Booking email' });
    expect(await within(opened).findByText('Guest 2 — guest2@example.com')).toBeTruthy();
  });

  it('Replied is a real count of Send Email (0 until the first reply) with its recipients; Stored and Complained are named as not tracked', async () => {
    render(<ExecutionLogStatistics workflowId="wf_1" stats={stats} />);
    const emailRow = screen.getByRole('row', { name: /Booking email/ });
    expect(within(emailRow).getByText('Stored, Complained: not tracked by this mail setup')).toBeTruthy();
    expect(within(emailRow).queryByText(/Replied.*not tracked/)).toBeNull();
    expect(within(emailRow).queryByRole('button', { name: /Stored|Complained/ })).toBeNull();
    expect(within(emailRow).getByRole('button', { name: /^Replied 0: show recipients of Booking email/ })).toBeTruthy();
    expect(within(screen.getByRole('row', { name: /Tag them/ })).queryByText(/not tracked/)).toBeNull();
    expect(within(screen.getByRole('row', { name: /Tag them/ })).queryByRole('button', { name: /Replied/ })).toBeNull();
    cleanup();

    const replied: WorkflowStatistics = { ...stats, steps: [{ ...stats.steps[0]!, metrics: { delivered: 3, replied: 1 } }] };
    fake.handlers['automation.statisticRecipients'] = () => ({ total: 1, recipients: [recipient(2)] });
    render(<ExecutionLogStatistics workflowId="wf_1" stats={replied} />);
    const button = screen.getByRole('button', { name: /^Replied 1: show recipients of Booking email/ });
    expect(screen.getAllByRole('button', { name: /^Replied/ })).toHaveLength(1);
    button.focus();
    await userEvent.setup().keyboard('{Enter}');
    const panel = await screen.findByRole('region', { name: 'Replied: Booking email' });
    expect(await within(panel).findByText('Guest 2 — guest2@example.com')).toBeTruthy();
    expect(fake.callsTo('automation.statisticRecipients')).toEqual([{ workflowId: 'wf_1', stepId: 'email', metric: 'replied', offset: 0 }]);
  });

  it('says so plainly when the recipients cannot be loaded', async () => {
    fake.handlers['automation.statisticRecipients'] = () => {
      throw Object.assign(new Error('The cloud cannot be reached: workflows are built online. Try again when you are connected.'), { code: 'UNAVAILABLE' });
    };
    render(<ExecutionLogStatistics workflowId="wf_1" stats={stats} />);
    await userEvent.setup().click(screen.getByRole('button', { name: /^Opened 1/ }));
    expect(await screen.findByText(/The cloud cannot be reached/)).toBeTruthy();
    expect(screen.queryByText('Loading the recipients…')).toBeNull();
  });
});
