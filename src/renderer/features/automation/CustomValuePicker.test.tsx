import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, expect, it, vi } from 'vitest';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { installFakeBridge } from '../../testing/fake-bridge';
import { SendEmailPanel } from './comm-panels';

installFakeBridge();
afterEach(cleanup);

function Harness() {
  const [config, setConfig] = useState<ActionConfig<'send_email'>>(
    actionConfigSchemas.send_email.parse({ fromName: 'Glow', fromEmail: 'hi@glow.example', subject: 'Booked', body: 'Hi ' }),
  );
  const step = { id: 'e', name: 'Send Email', type: 'send_email' as const, config };
  return <SendEmailPanel step={step} set={(patch) => setConfig((c) => ({ ...c, ...patch }))} replace={vi.fn()} errors={{}} trigger="appointment_booked" options={null} />;
}

it('picking a custom value by keyboard inserts it at the cursor and gives focus back to the Message field', async () => {
  const user = userEvent.setup();
  render(<Harness />);
  const message = screen.getByLabelText('Message') as HTMLTextAreaElement;
  screen.getByRole('button', { name: 'Custom values for Message' }).focus();
  await user.keyboard('{Enter}');
  // An email is no text a contact taps: no trigger links are offered in it.
  expect(within(screen.getByRole('group', { name: 'Custom values for Message' })).queryByRole('group', { name: 'Trigger links' })).toBeNull();
  screen.getByRole('button', { name: '{{contact.first_name}}' }).focus();
  await user.keyboard('{Enter}');
  expect(message.value).toContain('{{contact.first_name}}');
  await waitFor(() => expect(screen.getByLabelText('Message')).toBe(document.activeElement));
});

it('focus and the caret are back in the field as soon as the pick is handled, before any next key can arrive', async () => {
  const user = userEvent.setup();
  render(<Harness />);
  const message = screen.getByLabelText('Message') as HTMLTextAreaElement;
  screen.getByRole('button', { name: 'Custom values for Message' }).focus();
  await user.keyboard('{Enter}');
  const option = screen.getByRole('button', { name: '{{appointment.start_time}}' });
  option.focus();
  // Synchronously: the pick (React flushes a click's updates before returning), then the checks.
  fireEvent.click(option);
  expect(document.activeElement).toBe(message);
  expect(message.value).toBe('Hi {{appointment.start_time}}');
  expect(message.selectionStart).toBe(message.value.length);
  await user.keyboard('!');
  expect(message.value).toBe('Hi {{appointment.start_time}}!');
});
