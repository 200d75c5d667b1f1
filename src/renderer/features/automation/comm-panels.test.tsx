import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionConfigSchemas } from '../../../shared/cloud/workflows';
import { CallPanel } from './comm-panels';

afterEach(cleanup);

describe('CallPanel', () => {
  it('rings the assigned user’s softphone by default; the admin can choose the phone on their profile', async () => {
    const set = vi.fn();
    const config = actionConfigSchemas.call.parse({ timeoutSeconds: 20 });
    render(<CallPanel step={{ id: 'c', name: 'Call', type: 'call', config }} set={set} replace={vi.fn()} errors={{}} trigger={null} options={null} />);
    const ring = screen.getByLabelText('Ring the assigned user on');
    expect((ring as HTMLSelectElement).value).toBe('softphone');
    await userEvent.selectOptions(ring, 'phone');
    expect(set).toHaveBeenCalledWith({ ringUser: 'phone' });
  });
});
