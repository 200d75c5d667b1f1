import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunStep } from '../../../shared/cloud/workflows';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ExecutionLog } from './ExecutionLog';

const fake = installFakeBridge();
const entry = (seq: number): RunStep => ({
  runId: `run_${seq}`, workflowId: 'wf_1', version: 1, contactId: null, stepKey: 'k', stepId: 'dnd', name: `Step ${seq}`, type: 'dnd', status: 'completed',
  attempts: 1, input: null, output: null, reason: `Entry ${seq}`, blankFields: [], createdAt: '2026-11-20T10:00:00Z', startedAt: null, finishedAt: null,
  waitUntil: null, durationMs: null, seq: String(seq),
});

beforeEach(() => {
  fake.calls.length = 0;
  // Five entries in all (seq 5 … 1), pages of 3: a full page, then the last two.
  fake.handlers['automation.log'] = (input) => {
    const { olderThan, limit } = input as { olderThan?: string; limit: number };
    const top = olderThan ? Number(olderThan) - 1 : 5;
    return Array.from({ length: Math.min(limit, top) }, (_, i) => entry(top - i));
  };
  fake.handlers['automation.statistics'] = () => ({ workflowId: 'wf_1', runs: { total: 5, running: 0, waiting: 0, completed: 5, stopped: 0, failed: 0 }, steps: [] });
});
afterEach(cleanup);

describe('Execution log paging', { timeout: 30_000 }, () => {
  it('loads older entries past the newest page (the page size made small here), by keyboard, with the filters kept, until the whole log is shown', async () => {
    const user = userEvent.setup();
    render(<ExecutionLog workflowId="wf_1" pageSize={3} />);
    expect(await screen.findByText('3 entries shown.')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Status'), 'completed');
    await screen.findByText('3 entries shown.');
    const older = screen.getByRole('button', { name: 'Load older entries' });
    older.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByText('5 entries shown — the whole log for these filters.')).toBeTruthy();
    expect(screen.getByText('Entry 1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load older entries' })).toBeNull();
    expect(fake.callsTo('automation.log').at(-1)).toEqual({ workflowId: 'wf_1', status: 'completed', olderThan: '3', limit: 3 });
  });
});
