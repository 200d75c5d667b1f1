import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TriggerLink } from '../../../../shared/cloud/trigger-links';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { AutomationView } from '../AutomationView';

const fake = installFakeBridge();
const link = (over: Partial<TriggerLink>): TriggerLink => ({
  id: 'tl_1', name: 'Book a consultation', key: 'book_a_consultation', url: 'https://glow.example/book', sent: 12, clicks: 5, contactsClicked: 3,
  lastClickedAt: '2026-11-02T10:00:00Z', createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z', ...over,
});

let links: TriggerLink[];
beforeEach(() => {
  fake.calls.length = 0;
  links = [link({})];
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ page: 'trigger_links', open: null, error: null, message: null });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [], templates: [], slack: [], triggerLinks: links });
  fake.handlers['workflowSettings.triggerLinks'] = () => links;
  fake.handlers['workflowSettings.createTriggerLink'] = (input) => {
    const made = link({ ...(input as { name: string; url: string }), id: 'tl_2', key: 'intake_form', sent: 0, clicks: 0, contactsClicked: 0, lastClickedAt: null });
    links = [...links, made];
    return made;
  };
  fake.handlers['workflowSettings.updateTriggerLink'] = (input) => {
    const { linkId, ...changes } = input as { linkId: string; name?: string; url?: string };
    links = links.map((l) => (l.id === linkId ? { ...l, ...changes } : l));
    return links.find((l) => l.id === linkId)!;
  };
  fake.handlers['workflowSettings.triggerLinkUsage'] = (input) => ({
    linkId: (input as { linkId: string }).linkId,
    steps: [{ workflowId: 'w1', workflowName: 'New lead follow-up', stepId: 's1', stepName: 'Welcome text', published: true }],
  });
  fake.handlers['workflowSettings.triggerLinkClicks'] = (input) => ({
    linkId: (input as { linkId: string }).linkId,
    contacts: [{ contactId: 'c1', contactName: 'Ana Ruiz', clicks: 2, firstClickedAt: '2026-11-02T09:00:00Z', lastClickedAt: '2026-11-02T10:00:00Z' }],
  });
  fake.handlers['workflowSettings.deleteTriggerLink'] = (input) => {
    links = links.filter((l) => l.id !== (input as { linkId: string }).linkId);
    return { deleted: true };
  };
});
afterEach(cleanup);

describe('Automation → Trigger links', { timeout: 30_000 }, () => {
  it('lists each link with its merge field and figures, and shows who clicked', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    const row = (await screen.findByRole('rowheader', { name: /Book a consultation/ })).closest('tr')!;
    expect(screen.getByRole('button', { name: 'Trigger links' }).getAttribute('aria-current')).toBe('page');
    expect((within(row).getByRole('textbox', { name: 'Merge field of Book a consultation' }) as HTMLInputElement).value).toBe('{{trigger_link.book_a_consultation}}');
    expect(within(row).getAllByRole('cell').map((c) => c.textContent).slice(0, 3)).toEqual(['https://glow.example/book', '12', '5 (3 contacts)']);
    await user.click(within(row).getByRole('button', { name: 'Who clicked Book a consultation' }));
    const panel = await screen.findByRole('region', { name: 'Who clicked Book a consultation' });
    await within(panel).findByText('Ana Ruiz');
    expect(document.activeElement).toBe(within(panel).getByRole('heading'));
    await user.click(within(panel).getByRole('button', { name: 'Close the clicks' }));
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Who clicked Book a consultation' }));
  });

  it('refuses a name or a link the cloud would refuse at its field, then saves a new link by keyboard; the builder’s pickers are refreshed', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    await screen.findByRole('rowheader', { name: /Book a consultation/ });
    screen.getByRole('button', { name: '+ New trigger link' }).focus();
    await user.keyboard('{Enter}');
    const url = screen.getByLabelText('Destination link');
    await user.type(url, 'javascript:alert(1)');
    await user.click(screen.getByRole('button', { name: 'Save trigger link' }));
    expect(screen.getByText('Give the link a name, such as “Book a consultation”.')).toBeTruthy();
    expect(screen.getByText('Only https:// links can be trigger links (not javascript:).')).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');
    await user.clear(url);
    await user.type(url, 'http://forms.glow.example/intake');
    await user.type(screen.getByLabelText('Name'), 'Intake form');
    await user.click(screen.getByRole('button', { name: 'Save trigger link' }));
    expect(screen.getByText(/Use the https:\/\/ address/)).toBeTruthy();
    expect(fake.callsTo('workflowSettings.createTriggerLink')).toHaveLength(0);
    await user.clear(url);
    await user.type(url, 'https://forms.glow.example/intake{Enter}');
    await screen.findByText('Saved the trigger link Intake form: use it as {{trigger_link.intake_form}}.', { selector: '.automation-message' });
    expect(fake.callsTo('workflowSettings.createTriggerLink')).toEqual([{ name: 'Intake form', url: 'https://forms.glow.example/intake' }]);
    expect(await screen.findByRole('rowheader', { name: /Intake form/ })).toBeTruthy();
    await waitFor(() => expect(useAutomation.getState().options?.triggerLinks.map((l) => l.key)).toContain('intake_form'));
  });

  it('a name already used is said at the name field; an edit keeps the key and says links already sent follow', async () => {
    fake.handlers['workflowSettings.updateTriggerLink'] = () => {
      throw Object.assign(new Error('A trigger link named "Intake" already exists'), { code: 'CONFLICT' });
    };
    const user = userEvent.setup();
    render(<AutomationView />);
    await user.click(await screen.findByRole('button', { name: 'Edit Book a consultation' }));
    expect(screen.getByText('A new destination also changes where the links already sent lead.')).toBeTruthy();
    const name = screen.getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Intake{Enter}');
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('A trigger link named "Intake" already exists')).toBeTruthy();
    expect(fake.callsTo('workflowSettings.updateTriggerLink')).toEqual([{ linkId: 'tl_1', name: 'Intake', url: 'https://glow.example/book' }]);
  });

  it('delete says which steps would fail and that texts already sent keep working; Keep it changes nothing', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    await user.click(await screen.findByRole('button', { name: 'Delete Book a consultation' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect(within(dialog).getByText(/Texts already sent keep working: their links still lead to https:\/\/glow.example\/book/)).toBeTruthy();
    expect((await within(dialog).findByRole('note')).textContent).toBe("Used by 1 step in 'New lead follow-up'. Those steps will fail, sending nothing, until another link is chosen and the workflow is published again.");
    await user.click(within(dialog).getByRole('button', { name: 'Delete trigger link' }));
    await screen.findByText('Deleted the trigger link Book a consultation. Texts already sent keep working.', { selector: '.automation-message' });
    expect(fake.callsTo('workflowSettings.deleteTriggerLink')).toEqual([{ linkId: 'tl_1' }]);
    expect(await screen.findByText('No trigger links yet.')).toBeTruthy();
  });

  it('Copy puts the merge field on the clipboard, or selects it and says to press Ctrl+C when the system refuses', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    const copy = await screen.findByRole('button', { name: 'Copy the merge field of Book a consultation' });
    await user.click(copy);
    await screen.findByText('Copied {{trigger_link.book_a_consultation}}: paste it into a Send SMS or Manual SMS message.', { selector: '.automation-message' });
    expect(await navigator.clipboard.readText()).toBe('{{trigger_link.book_a_consultation}}');
    const refuse = Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: () => Promise.reject(new Error('NotAllowedError')) });
    expect(refuse).toBeTruthy();
    await user.click(copy);
    await screen.findByText(/Copying was not allowed here: \{\{trigger_link.book_a_consultation\}\} is selected, press Ctrl\+C/, { selector: '.automation-message' });
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Merge field of Book a consultation' }));
  });
});
