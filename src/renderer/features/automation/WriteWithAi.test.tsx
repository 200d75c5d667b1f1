import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeBridge } from '../../testing/fake-bridge';
import { WriteWithAi } from './WriteWithAi';

const fake = installFakeBridge();
afterEach(cleanup);
beforeEach(() => {
  fake.calls.length = 0;
  fake.handlers['automation.aiWriteStatus'] = () => ({ available: true, reason: null });
});

describe('Write with AI', () => {
  it('describe, Generate, refine with a follow-up, Use Email: the subject and body go to the panel', async () => {
    const user = userEvent.setup();
    const onUse = vi.fn();
    const drafts = [
      { subject: 'Your first HydraFacial, 20% off', body: 'Hi {{contact.first_name}}, enjoy 20% off.', removedMergeFields: ['appointment.start_time'], model: 'm' },
      { subject: 'Glow for less', body: 'Hi {{contact.first_name}}, 20% off your first HydraFacial.', removedMergeFields: [], model: 'm' },
    ];
    fake.handlers['automation.writeWithAi'] = () => drafts.shift()!;
    render(<WriteWithAi channel="email" trigger="call_details" onUse={onUse} />);
    const open = screen.getByRole('button', { name: 'Write with AI' });
    await vi.waitFor(() => expect((open as HTMLButtonElement).disabled).toBe(false));
    await user.click(open);
    await user.type(screen.getByLabelText('Describe the email'), 'A promo for a first HydraFacial');
    await user.selectOptions(screen.getByLabelText('Tone'), 'friendly');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect((await screen.findByLabelText('AI draft') as HTMLTextAreaElement).value).toBe('Hi {{contact.first_name}}, enjoy 20% off.');
    expect(screen.getByText(/Removed \{\{appointment.start_time\}\}: this trigger does not supply it/)).toBeTruthy();
    const first = fake.callsTo('automation.writeWithAi')[0] as Record<string, unknown>;
    expect(first).toMatchObject({ channel: 'email', prompt: 'A promo for a first HydraFacial', tone: 'friendly' });
    expect(first.customValues).toEqual(expect.arrayContaining(['contact.first_name', 'call.disposition']));
    expect(first.customValues).not.toContain('appointment.start_time');

    await user.type(screen.getByLabelText('Follow-up (how to change it)'), 'Shorter');
    await user.click(screen.getByRole('button', { name: 'Re-generate' }));
    await vi.waitFor(() => expect((screen.getByLabelText('AI subject') as HTMLTextAreaElement).value).toBe('Glow for less'));
    expect(fake.callsTo('automation.writeWithAi')[1]).toMatchObject({ prompt: 'Shorter', currentText: 'Hi {{contact.first_name}}, enjoy 20% off.', currentSubject: 'Your first HydraFacial, 20% off' });
    await user.clear(screen.getByLabelText('AI draft'));
    await user.type(screen.getByLabelText('AI draft'), 'Edited by me');
    await user.click(screen.getByRole('button', { name: 'Use Email' }));
    expect(onUse).toHaveBeenCalledWith({ subject: 'Glow for less', body: 'Edited by me' });
    expect(screen.queryByRole('heading', { name: 'Write with AI' })).toBeNull();
  });

  it('an SMS without the subject; a failure is said plainly and nothing is filled', async () => {
    const user = userEvent.setup();
    const onUse = vi.fn();
    fake.handlers['automation.writeWithAi'] = () => {
      throw Object.assign(new Error('The AI service could not write this: the AI endpoint did not answer within 5000 ms. Try again, or write it yourself.'), { code: 'AI_REQUEST_FAILED' });
    };
    render(<WriteWithAi channel="sms" trigger="manual" onUse={onUse} />);
    await vi.waitFor(() => expect((screen.getByRole('button', { name: 'Write with AI' }) as HTMLButtonElement).disabled).toBe(false));
    await user.click(screen.getByRole('button', { name: 'Write with AI' }));
    await user.type(screen.getByLabelText('Describe the text'), 'A reminder');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText(/did not answer within 5000 ms/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Use Text' }) as HTMLButtonElement).disabled).toBe(true);
    expect(onUse).not.toHaveBeenCalled();
  });

  it('with no AI service configured the button is disabled and says why', async () => {
    fake.handlers['automation.aiWriteStatus'] = () => ({ available: false, reason: 'Write with AI is not available: no AI service is configured on this server.' });
    render(<WriteWithAi channel="sms" trigger={null} onUse={() => undefined} />);
    expect(await screen.findByText(/no AI service is configured/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Write with AI' }) as HTMLButtonElement).disabled).toBe(true);
    expect(fake.callsTo('automation.writeWithAi')).toEqual([]);
  });
});
