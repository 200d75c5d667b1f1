import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionSchema, type Agent, type AgentAction } from '../../../shared/cloud/agents';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { useAgents } from './agents-store';
import { AgentsView } from './AgentsView';

const fake = installFakeBridge();
const options: BuilderOptions = {
  dispositions: [],
  users: [{ id: 'u_jordan', name: 'Jordan Reception', email: 'j@x.test', role: 'user', phone: null }],
  teams: [{ id: 't_nurses', name: 'Nurses' }],
  numbers: [{ id: 'n_main', number: '+13105550100', name: 'Beverly Hills main' }],
  templates: [],
  slack: [],
  triggerLinks: [],
  sendingDomains: null,
};
let agent: Agent;
const base = (over: Partial<Agent> = {}): Agent => ({
  id: 'ag_1', name: 'Night desk', lineIds: ['n_main'], answerWhen: 'after_hours', businessHours: { timeZone: 'America/Los_Angeles', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' },
  greeting: 'Hi', goals: '', enabled: true, actions: [], brain: 'scripted', createdAt: '', updatedAt: '', ...over,
});
const sms = (i: number): AgentAction => ({ id: `a${i}`, agentId: 'ag_1', phase: 'during', name: `Text ${i}`, config: { type: 'send_sms', message: 'Hi', condition: '' }, position: i });

beforeEach(() => {
  fake.calls.length = 0;
  agent = base();
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAgents.setState({ agents: null, options: null, open: null, tab: 'during', busy: null, error: null, message: null });
  fake.handlers['agents.list'] = () => [agent];
  fake.handlers['automation.options'] = () => options;
  fake.handlers['agents.options'] = () => ({ brain: 'scripted', contactFields: [{ field: 'name', label: 'Name' }, { field: 'email', label: 'Email' }, { field: 'custom_fields.skin_type', label: 'skin type' }] });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['agents.create'] = (input) => (agent = base({ ...(input as Partial<Agent>), id: 'ag_2' }));
  fake.handlers['agents.addAction'] = (input) => {
    const { action } = input as { action: unknown };
    const parsed = createActionSchema.parse(action);
    agent = { ...agent, actions: [...agent.actions, { id: `a${agent.actions.length + 100}`, agentId: agent.id, phase: parsed.config.type === 'update_contact_field' ? 'after' : 'during', position: agent.actions.length, ...parsed }] };
    return agent;
  };
  fake.handlers['agents.deleteAction'] = (input) => {
    agent = { ...agent, actions: agent.actions.filter((a) => a.id !== (input as { actionId: string }).actionId) };
    return agent;
  };
});
afterEach(cleanup);

describe('AI agents tab', { timeout: 30_000 }, () => {
  it('creates an agent, adds a Call Transfer card under During the Call and an Update Contact Fields card under After the Call, by keyboard', async () => {
    fake.handlers['agents.list'] = () => [];
    const user = userEvent.setup();
    render(<AgentsView />);
    await screen.findByText('No agents yet.');
    await user.click(screen.getByRole('button', { name: '+ New agent' }));
    await user.type(screen.getByLabelText('Name'), 'Night desk');
    await user.click(await screen.findByLabelText('Beverly Hills main (+13105550100)'));
    await user.click(screen.getByRole('button', { name: 'Create agent' }));
    expect(fake.callsTo('agents.create')[0]).toMatchObject({ name: 'Night desk', lineIds: ['n_main'], answerWhen: 'after_hours' });
    expect(await screen.findByRole('heading', { name: 'Night desk' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: '+ New Action' }));
    await user.click(screen.getByRole('button', { name: 'Call Transfer' }));
    const dialog = () => within(screen.getByRole('dialog', { hidden: true }));
    await user.selectOptions(dialog().getByLabelText('Transfer to'), 'team');
    await user.click(dialog().getByRole('button', { name: 'Save' }));
    expect(dialog().getByRole('alert').textContent).toBe('Team: required');
    await user.selectOptions(dialog().getByLabelText('Team'), 't_nurses');
    await user.type(dialog().getByLabelText('When (in words)'), 'caller asks for a nurse');
    await user.click(dialog().getByRole('button', { name: 'Save' }));
    const card = await screen.findByRole('article', { name: /Call Transfer/ });
    expect(card.textContent).toContain('Transfers the caller to the Nurses team when caller asks for a nurse.');
    expect(screen.getByLabelText('Actions during the call: 1 of 15')).toBeTruthy();

    // Keyboard: arrow right moves to After the Call.
    screen.getByRole('tab', { name: 'During the Call' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'After the Call' }).getAttribute('aria-selected')).toBe('true');
    await user.click(screen.getByRole('button', { name: '+ New Action' }));
    // The contact field is picked from the practice's fields (the cloud's list), not typed.
    const fieldPicker = dialog().getByLabelText('Contact field');
    expect(within(fieldPicker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Name', 'Email', 'Custom: skin type']);
    expect((fieldPicker as HTMLSelectElement).value).toBe('email');
    await user.selectOptions(fieldPicker, 'custom_fields.skin_type');
    await user.type(dialog().getByLabelText('What to extract'), "the caller's skin type");
    await user.click(dialog().getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('article', { name: /Update Contact Fields/ })).textContent).toContain('Sets custom field skin_type from the conversation');
    expect(fake.callsTo('agents.addAction')[1]).toMatchObject({ action: { config: { type: 'update_contact_field', field: 'custom_fields.skin_type' } } });
    expect(screen.getByLabelText('Contact-field updates after the call: 1 of 25 field updates')).toBeTruthy();
    expect(fake.callsTo('agents.addAction')).toHaveLength(2);
  });

  it('refuses the 16th action during the call before asking the cloud, and shows the cloud’s 409 plainly when it comes', async () => {
    agent = base({ actions: Array.from({ length: 15 }, (_, i) => sms(i)) });
    const user = userEvent.setup();
    render(<AgentsView />);
    await user.click(await screen.findByRole('button', { name: 'Night desk' }));
    const counter = screen.getByLabelText('Actions during the call: 15 of 15');
    expect(document.getElementById(counter.getAttribute('aria-describedby')!)?.textContent).toBe('Up to 15 actions during a call, all types together (Book Appointment included).');
    await user.click(screen.getByRole('button', { name: '+ New Action' }));
    await user.click(screen.getByRole('button', { name: 'Send SMS' }));
    expect(screen.getByRole('alert').textContent).toBe('An agent can have at most 15 actions during the call; delete one first.');
    expect(fake.callsTo('agents.addAction')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    // Another admin filled the last slot meanwhile: the cloud's 409 sentence is shown as it is.
    await user.click(screen.getByRole('button', { name: 'Delete Text 3' }));
    await user.click(screen.getByRole('button', { name: 'Delete card' }));
    expect(await screen.findByLabelText('Actions during the call: 14 of 15')).toBeTruthy();
    fake.handlers['agents.addAction'] = () => {
      throw Object.assign(new Error('An agent can have at most 15 actions during the call; delete one first.'), { code: 'CONFLICT' });
    };
    await user.click(screen.getByRole('button', { name: '+ New Action' }));
    await user.click(screen.getByRole('button', { name: 'Send SMS' }));
    await user.type(within(screen.getByRole('dialog', { hidden: true })).getByLabelText('Message'), 'Hi {{{{contact.first_name}}');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('An agent can have at most 15 actions during the call; delete one first.');
  });

  it('edits an open agent’s settings (answering when no one answers) and shows the cloud’s refusal of a line another agent has', async () => {
    fake.handlers['agents.update'] = (input) => {
      const { changes } = input as { changes: Partial<Agent> };
      if (changes.lineIds?.length === 0) throw Object.assign(new Error('lineIds: Beverly Hills main is answered by the agent Day desk'), { code: 'VALIDATION_FAILED' });
      return (agent = { ...agent, ...changes });
    };
    const user = userEvent.setup();
    render(<AgentsView />);
    await user.click(await screen.findByRole('button', { name: 'Night desk' }));
    expect(screen.getByText(/Outside business hours · 1 line/)).toBeTruthy();
    await user.click(screen.getByText('Settings: lines, hours, greeting, goals'));
    await user.selectOptions(screen.getByLabelText('When it answers'), 'no_answer');
    expect(screen.queryByLabelText('Time zone')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(fake.callsTo('agents.update')[0]).toMatchObject({ agentId: 'ag_1', changes: { answerWhen: 'no_answer', lineIds: ['n_main'] } });
    expect(await screen.findByText(/When no one answers · 1 line/)).toBeTruthy();
    await user.click(screen.getByLabelText('Beverly Hills main (+13105550100)'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('lineIds: Beverly Hills main is answered by the agent Day desk');
  });

  it('says plainly that agents do not answer when the cloud has no AI brain, before any agent exists', async () => {
    fake.handlers['agents.list'] = () => [];
    fake.handlers['agents.options'] = () => ({ brain: 'none', contactFields: [{ field: 'name', label: 'Name' }, { field: 'email', label: 'Email' }] });
    render(<AgentsView />);
    await screen.findByText('No agents yet.');
    expect((await screen.findByTestId('no-brain-notice')).textContent).toContain('the cloud has no AI brain configured, so their lines ring as usual');
  });

  it('shows no notice when the cloud has a brain, and the cloud’s refusal of a custom field the practice no longer has', async () => {
    agent = base({ actions: [{ id: 'f1', agentId: 'ag_1', phase: 'after', name: 'Allergies', config: { type: 'update_contact_field', field: 'custom_fields.allergies', instruction: 'Any allergies' }, position: 0 }] });
    fake.handlers['agents.updateAction'] = () => {
      throw Object.assign(new Error('Your practice has no custom contact field “allergies”. Pick name, email, or one of its custom fields (skin_type).'), { code: 'VALIDATION_FAILED' });
    };
    const user = userEvent.setup();
    render(<AgentsView />);
    await user.click(await screen.findByRole('button', { name: 'Night desk' }));
    expect(screen.queryByTestId('no-brain-notice')).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'After the Call' }));
    await user.click(screen.getByRole('button', { name: 'Edit Allergies' }));
    const picker = within(screen.getByRole('dialog', { hidden: true })).getByLabelText('Contact field');
    expect((picker as HTMLSelectElement).value).toBe('custom_fields.allergies');
    expect(within(picker).getAllByRole('option').at(-1)?.textContent).toBe('custom_fields.allergies (not one of the practice’s fields)');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your practice has no custom contact field “allergies”. Pick name, email, or one of its custom fields (skin_type).');
  });
});
