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

  it('asks on the row before deleting, explains that old calls keep the label, and Keep it changes nothing', async () => {
    setUp(3);
    render(<DispositionAdmin />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete Outcome 1' }));
    const dialog = screen.getByRole('alertdialog');
    // The question sits inside the row it is about, not below the list.
    expect(dialog.closest('li')?.getAttribute('aria-label')).toBe('Outcome 1, key 2');
    expect(dialog.textContent).toContain('Calls already marked with it keep the label');
    expect(document.activeElement?.textContent).toBe('Keep it');
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(fake.callsTo('dispositions.admin')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete Outcome 1' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Delete “Outcome 1”' }));
    });
    expect(fake.callsTo('dispositions.admin')).toEqual([{ action: 'delete', dispositionId: 'd1' }]);
  });

  it('after a delete, the keyboard is on the row now in its place, else the one before, else the new-disposition field', async () => {
    let active = [d(0), d(1), d(2)];
    useSession.setState({ session: { status: 'signed-in', user: user('admin'), sessionId: 's' } });
    usePractice.setState({ dispositions: { active, all: active } });
    fake.handlers['dispositions.admin'] = (input) => {
      active = active.filter((x) => x.id !== (input as { dispositionId: string }).dispositionId);
      return { active, all: active };
    };
    render(<DispositionAdmin />);
    const remove = async (label: string) => {
      fireEvent.click(screen.getByRole('button', { name: `Delete ${label}` }));
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: `Delete “${label}”` }));
      });
    };
    await remove('Outcome 1');
    expect(document.activeElement).toBe(screen.getByLabelText('Outcome 2, key 2'));
    await remove('Outcome 2');
    expect(document.activeElement).toBe(screen.getByLabelText('Outcome 0, key 1'));
    await remove('Outcome 0');
    expect(document.activeElement).toBe(screen.getByLabelText('New disposition'));
  });

  it('a delete main refuses keeps the question and the keyboard on the row', async () => {
    setUp(2);
    fake.handlers['dispositions.admin'] = () => {
      throw Object.assign(new Error('The disposition could not be deleted.'), { code: 'UNAVAILABLE' });
    };
    render(<DispositionAdmin />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete Outcome 1' }));
    const confirm = screen.getByRole('button', { name: 'Delete “Outcome 1”' });
    confirm.focus();
    await act(async () => {
      fireEvent.click(confirm);
    });
    expect(screen.getByRole('alert').textContent).toBe('The disposition could not be deleted.');
    expect(document.activeElement).toBe(confirm);
  });

  it('says what is wrong at the new-disposition field and keeps what was typed', async () => {
    setUp(3);
    render(<DispositionAdmin />);
    const field = screen.getByLabelText('New disposition') as HTMLInputElement;
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    });
    expect(screen.getByRole('alert').textContent).toBe('Type a name for the disposition.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    fireEvent.change(field, { target: { value: ' outcome  2 ' } });
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    });
    expect(screen.getByRole('alert').textContent).toBe('“Outcome 2” already exists. Pick another name.');
    expect(fake.callsTo('dispositions.admin')).toEqual([]);
    // Main refuses: its message at the field, the text kept.
    fake.handlers['dispositions.admin'] = () => {
      throw Object.assign(new Error('Disposition labels may not contain control characters'), { code: 'VALIDATION' });
    };
    fireEvent.change(field, { target: { value: 'Price shopper' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    });
    expect(screen.getByRole('alert').textContent).toBe('Disposition labels may not contain control characters');
    expect(field.value).toBe('Price shopper');
  });

  it('renames in place with the error under the row’s field, Escape leaves it as it was', async () => {
    setUp(3);
    render(<DispositionAdmin />);
    fireEvent.click(screen.getByRole('button', { name: 'Rename Outcome 0' }));
    const field = screen.getByLabelText('New name for Outcome 0') as HTMLInputElement;
    fireEvent.change(field, { target: { value: 'Outcome 2' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    const error = screen.getByRole('alert');
    expect(error.textContent).toBe('“Outcome 2” already exists. Pick another name.');
    expect(error.closest('li')?.getAttribute('aria-label')).toBe('Outcome 0, key 1');
    expect(field.value).toBe('Outcome 2');
    fireEvent.change(field, { target: { value: 'Booked' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(fake.callsTo('dispositions.admin')).toEqual([{ action: 'rename', dispositionId: 'd0', label: 'Booked' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Rename Outcome 1' }));
    fireEvent.keyDown(screen.getByLabelText('New name for Outcome 1'), { key: 'Escape' });
    expect(screen.queryByLabelText('New name for Outcome 1')).toBeNull();
  });

  it('is closed to receptionists', () => {
    setUp(3, 'user');
    render(<DispositionAdmin />);
    expect(screen.getByText('Only account admins can change dispositions.')).toBeTruthy();
  });
});
