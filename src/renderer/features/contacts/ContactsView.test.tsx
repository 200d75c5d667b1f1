import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/cloud';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import type { DirectoryView } from '../../../shared/ipc/views';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ContactsView } from './ContactsView';

const fake = installFakeBridge();
afterEach(cleanup);

const contact = (id: string, name: string): Contact =>
  ({ id, accountId: 'a1', name, phone: '+13105552007', email: null, tags: ['vip'], assignedUserId: null, seq: 1 }) as unknown as Contact;

beforeEach(() => {
  fake.calls.length = 0;
  fake.handlers['search.query'] = () => ({ contacts: [], calls: [] });
  fake.handlers['contacts.get'] = (input) => ((input as { contactId: string }).contactId === 'k1' ? contact('k1', 'Jane Doe') : null);
});

describe('ContactsView', () => {
  it('an alert about a contact opens on that contact, highlighted and focused', async () => {
    useNavigation.setState({ view: 'contacts', focusTarget: 'contact:k1' });
    render(<ContactsView />);
    const item = (await screen.findByText('From the alert')).closest('li')!;
    expect(item).toHaveProperty('textContent', expect.stringContaining('Jane Doe'));
    expect(item.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement).toBe(item);
    expect(screen.getByRole('button', { name: 'Call Jane Doe' })).toBeTruthy();
  });

  it('lists the contacts A–Z before anything is typed, and says when there are more than it shows', async () => {
    useNavigation.setState({ view: 'contacts', focusTarget: null });
    const practice = (count: number) => Array.from({ length: count }, (_, i) => contact(`k${i}`, `Client ${String(i).padStart(3, '0')}`));
    // Main answers up to the limit asked for: one more than the page shows, to tell whether there are more.
    let size = 101;
    fake.handlers['search.query'] = (input) => {
      const { query, limit } = input as { query: string; limit: number };
      return { contacts: query === '' ? practice(size).slice(0, limit) : [], calls: [] };
    };
    render(<ContactsView />);
    expect(await screen.findByRole('button', { name: 'Call Client 000' })).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(100);
    expect(screen.queryByRole('button', { name: 'Call Client 100' })).toBeNull();
    expect(screen.getByText(/The first 100 contacts A–Z/)).toBeTruthy();
    expect(fake.calls).toContainEqual(expect.objectContaining({ channel: 'search.query', input: { query: '', limit: 101 } }));
    cleanup();
    // Exactly 100: all of them, and no hint that there are others.
    size = 100;
    render(<ContactsView />);
    expect(await screen.findByRole('button', { name: 'Call Client 099' })).toBeTruthy();
    expect(screen.queryByText(/The first 100 contacts/)).toBeNull();
  });

  it('says so when there are no contacts yet', async () => {
    useNavigation.setState({ view: 'contacts', focusTarget: null });
    render(<ContactsView />);
    expect(await screen.findByText('No contacts on this computer yet.')).toBeTruthy();
    expect(screen.queryByText(/The first 100 contacts/)).toBeNull();
  });

  it('assigns a contact to a team member with an explicit Save, and shows main’s refusal', async () => {
    useNavigation.setState({ view: 'contacts', focusTarget: null });
    usePractice.setState({ directory: { users: [{ id: 'u1', name: 'Dr. Maya Chen' }, { id: 'u2', name: 'Jordan Lee' }] } as unknown as DirectoryView });
    fake.handlers['search.query'] = () => ({ contacts: [contact('k1', 'Jane Doe')], calls: [] });
    let refuse = false;
    fake.handlers['contacts.assign'] = (input) => {
      const { assignedUserId } = input as { assignedUserId: string | null };
      if (refuse) throw new Error('That team member is no longer in the practice. Pick another.');
      return { ...contact('k1', 'Jane Doe'), assignedUserId };
    };
    render(<ContactsView />);
    expect(await screen.findByText('Unassigned')).toBeTruthy();
    const toggle = screen.getByRole('button', { name: 'Assign Jane Doe to a team member' });
    fireEvent.click(toggle);
    const select = screen.getByLabelText('Team member') as HTMLSelectElement;
    expect(document.activeElement).toBe(select);
    // Nothing is sent while choosing: only Save sends.
    fireEvent.change(select, { target: { value: 'u2' } });
    expect(fake.callsTo('contacts.assign')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Assigned to Jordan Lee')).toBeTruthy();
    expect(fake.callsTo('contacts.assign')).toEqual([{ contactId: 'k1', assignedUserId: 'u2' }]);
    expect(document.activeElement).toBe(toggle);
    // A refusal stays in the editor, said plainly.
    refuse = true;
    fireEvent.click(toggle);
    fireEvent.change(screen.getByLabelText('Team member'), { target: { value: 'u1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/no longer in the practice/);
    // Escape closes it without a change.
    fireEvent.keyDown(screen.getByLabelText('Team member'), { key: 'Escape' });
    expect(screen.queryByLabelText('Team member')).toBeNull();
    expect(screen.getByText('Assigned to Jordan Lee')).toBeTruthy();
  });

  it('says plainly when the alert’s contact is not on this computer', async () => {
    useNavigation.setState({ view: 'contacts', focusTarget: 'contact:gone' });
    render(<ContactsView />);
    expect((await screen.findByRole('status')).textContent).toMatch(/not on this computer yet/);
  });
});
