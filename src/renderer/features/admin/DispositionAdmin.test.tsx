import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Disposition, User } from '../../../shared/cloud';
import { dispositionKey } from '../../../shared/disposition-keys';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { DispositionAdmin } from './DispositionAdmin';

const fake = installFakeBridge();
const d = (n: number): Disposition => ({ id: `d${n}`, accountId: 'acc', label: `Outcome ${n}`, position: n, seq: 1, deletedAt: null });
const user = (role: User['role']): User => ({
  id: 'u1', accountId: 'acc', email: 'a@spa.example', name: 'Maya', role, phone: null, locationIds: [], teamIds: [], inboundNumberId: null, twilioIdentity: 'u1', seq: 1, deletedAt: null,
});
const setUp = (count: number, role: User['role'] = 'admin') => {
  const active = Array.from({ length: count }, (_, i) => d(i));
  useSession.setState({ session: { status: 'signed-in', user: user(role), sessionId: 's' } });
  usePractice.setState({ dispositions: { active, all: active } });
  fake.handlers['dispositions.admin'] = () => ({ active, all: active });
};

beforeEach(() => {
  fake.calls.length = 0;
});
afterEach(cleanup);

describe('DispositionAdmin', () => {
  it('numbers the picker keys 1…9 then 0', () => {
    expect([0, 1, 8, 9].map(dispositionKey)).toEqual(['1', '2', '9', '0']);
  });

  it('shows the counter and adds a disposition through main', async () => {
    setUp(6);
    render(<DispositionAdmin />);
    expect(screen.getByTestId('disposition-counter').textContent).toBe('6 of 10');
    fireEvent.change(screen.getByLabelText('New disposition'), { target: { value: '  Price shopper ' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    });
    expect(fake.callsTo('dispositions.admin')).toEqual([{ action: 'create', label: 'Price shopper' }]);
  });

  it('at 10 the form is closed and says why', () => {
    setUp(10);
    render(<DispositionAdmin />);
    expect(screen.getByTestId('disposition-counter').textContent).toBe('10 of 10');
    expect((screen.getByLabelText('New disposition') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toMatch(/limit of 10 dispositions/);
  });

  it('reorders with Alt+arrow keys', async () => {
    setUp(3);
    render(<DispositionAdmin />);
    await act(async () => {
      fireEvent.keyDown(screen.getByLabelText('Outcome 1, key 2'), { key: 'ArrowUp', altKey: true });
    });
    expect(fake.callsTo('dispositions.admin')).toEqual([{ action: 'reorder', orderedIds: ['d1', 'd0', 'd2'] }]);
  });

  it('asks before deleting and explains that old calls keep the label', async () => {
    setUp(3);
    render(<DispositionAdmin />);
    fireEvent.click(screen.getAllByRole('button', { name: 'Delete' })[0]!);
    expect(screen.getByRole('alertdialog').textContent).toContain('Calls already marked with it keep the label');
    await act(async () => {
      fireEvent.click(screen.getByRole('alertdialog').querySelector('button.danger')!);
    });
    expect(fake.callsTo('dispositions.admin')).toEqual([{ action: 'delete', dispositionId: 'd0' }]);
  });

  it('is closed to receptionists', () => {
    setUp(3, 'user');
    render(<DispositionAdmin />);
    expect(screen.getByText('Only account admins can change dispositions.')).toBeTruthy();
  });
});
