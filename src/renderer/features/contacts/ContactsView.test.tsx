import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/cloud';
import { useNavigation } from '../../state/navigation';
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

  it('says plainly when the alert’s contact is not on this computer', async () => {
    useNavigation.setState({ view: 'contacts', focusTarget: 'contact:gone' });
    render(<ContactsView />);
    expect((await screen.findByRole('status')).textContent).toMatch(/not on this computer yet/);
  });
});
