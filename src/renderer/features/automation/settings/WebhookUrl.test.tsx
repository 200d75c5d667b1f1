import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../../../shared/cloud/workflows';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { WebhookUrl } from './WebhookUrl';

const fake = installFakeBridge();
const workflow = (hasWebhookSecret: boolean): Workflow => ({
  id: 'wf_1', accountId: 'acc', name: 'Calls from the old phone system', status: 'draft', publishedVersion: null, hasWebhookSecret, createdAt: '', updatedAt: '',
  draft: { trigger: { type: 'inbound_webhook', filters: {} }, steps: [], settings: { stopOnResponse: false, allowReentry: false } },
});
let n = 0;
beforeEach(() => {
  fake.calls.length = 0;
  fake.handlers['workflowSettings.issueWebhookSecret'] = () => ({ url: `http://127.0.0.1:4000/hooks/workflows/wf_1/secret${++n}`, secret: `secret${n}` });
});
afterEach(cleanup);

describe('Inbound Webhook URL in the builder', () => {
  it('issues the URL once and shows it; a new one needs a confirmation because the old one stops', async () => {
    const user = userEvent.setup();
    useAutomation.setState({ open: workflow(false) });
    render(<WebhookUrl />);
    expect(screen.getByText('No webhook URL yet.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Issue the webhook URL' }));
    const url = (await screen.findByLabelText(/Webhook URL/)) as HTMLInputElement;
    expect(url.value).toBe('http://127.0.0.1:4000/hooks/workflows/wf_1/secret1');
    expect(useAutomation.getState().open?.hasWebhookSecret).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Issue a new webhook URL…' }));
    expect(screen.getByText('The current URL will stop working at once.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Issue new URL' }));
    expect(((await screen.findByLabelText(/Webhook URL/)) as HTMLInputElement).value).toMatch(/secret2$/);
    expect(fake.callsTo('workflowSettings.issueWebhookSecret')).toEqual([{ workflowId: 'wf_1' }, { workflowId: 'wf_1' }]);
  });

  it('for a workflow that already has one, says the secret is not shown again', () => {
    useAutomation.setState({ open: workflow(true) });
    render(<WebhookUrl />);
    expect(screen.getByText(/not shown again/)).toBeTruthy();
  });
});
