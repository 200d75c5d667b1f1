import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SlackConnection } from '../../../../shared/cloud/slack';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { SlackIntegrationView } from './SlackIntegrationView';
import { SlackPicker } from './SlackPicker';

const fake = installFakeBridge();
const workspace: SlackConnection = {
  id: 'sl1', teamId: 'T1', teamName: 'Glow Spa', botUserId: 'B1', installerSlackUserId: 'U0', canPostToPrivateChannels: true, connectedBy: 'u1',
  connectedAt: '2026-11-20T10:00:00Z', lastError: null,
};
const channelPage = (from: string | undefined) =>
  from === 'p2'
    ? { items: [{ id: 'C3', name: 'billing', isPrivate: false, memberCount: 2 }], nextCursor: null }
    : { items: [{ id: 'C1', name: 'front-desk', isPrivate: false, memberCount: 4 }, { id: 'C2', name: 'general', isPrivate: false, memberCount: 9 }], nextCursor: 'p2' };

beforeEach(() => {
  fake.calls.length = 0;
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ page: 'workflows', open: null, error: null, message: null });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [], templates: [], slack: [workspace] });
  fake.handlers['workflowSettings.slackConnections'] = () => [workspace];
  fake.handlers['workflowSettings.slackChannels'] = (input) => channelPage((input as { cursor?: string }).cursor);
  fake.handlers['workflowSettings.slackMembers'] = (input) =>
    (input as { search?: string }).search === 'ann'
      ? { items: [{ id: 'U7', name: 'ann', realName: 'Ann Lee', email: 'ann@glow.test' }], nextCursor: null }
      : { items: [{ id: 'U1', name: 'bo', realName: 'Bo Diaz', email: null }], nextCursor: 'm2' };
  fake.handlers['workflowSettings.slackConnect'] = () => ({ authorizeUrl: 'http://127.0.0.1:9/slack/oauth?state=x', expiresAt: '2026-12-02T00:30:00Z', opened: false });
  fake.handlers['workflowSettings.slackDisconnect'] = () => ({ disconnected: true });
});
afterEach(cleanup);

describe('Settings → Integrations → Slack', { timeout: 30_000 }, () => {
  it('lists the connected workspace, pages its channels with Load More, searches members, and gives the connect link', async () => {
    const user = userEvent.setup();
    render(<SlackIntegrationView />);
    expect(await screen.findByRole('heading', { name: 'Glow Spa' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Public channels' }));
    await screen.findByText(/#front-desk/);
    await user.click(screen.getByRole('button', { name: 'Load More' }));
    await screen.findByText(/#billing/);
    expect(screen.queryByRole('button', { name: 'Load More' })).toBeNull();
    expect(fake.callsTo('workflowSettings.slackChannels')).toEqual([{ connectionId: 'sl1', type: 'public' }, { connectionId: 'sl1', cursor: 'p2', type: 'public' }]);

    await user.click(screen.getByRole('button', { name: 'Members' }));
    await screen.findByText(/Bo Diaz/);
    await user.type(screen.getByLabelText('Search members'), 'ann{Enter}');
    await screen.findByText(/Ann Lee <ann@glow.test>/);
    expect(screen.queryByText(/Bo Diaz/)).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Connect a workspace' }));
    expect(await screen.findByText('http://127.0.0.1:9/slack/oauth?state=x')).toBeTruthy();
    expect(screen.getByText(/Open Slack's page \(the link below\), approve there/)).toBeTruthy();
    const link = screen.getByRole('link', { name: "Open Slack's page to approve" });
    expect(link.getAttribute('href')).toBe('http://127.0.0.1:9/slack/oauth?state=x');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noreferrer');
    // Back from the browser: the window's focus refreshes the list.
    const before = fake.callsTo('workflowSettings.slackConnections').length;
    window.dispatchEvent(new Event('focus'));
    await vi.waitFor(() => expect(fake.callsTo('workflowSettings.slackConnections').length).toBe(before + 1));

    await user.click(screen.getByRole('button', { name: 'Disconnect' }));
    await user.click(within(screen.getByRole('dialog', { hidden: true })).getByRole('button', { name: 'Disconnect', hidden: true }));
    await screen.findByText('Disconnected Glow Spa.');
  });

  it('says in the demo practice that the workspace is the local stand-in’s demo workspace, and not elsewhere', async () => {
    render(<SlackIntegrationView />);
    await screen.findByRole('heading', { name: 'Glow Spa' });
    expect(screen.queryByText(/Slack here is a stand-in on this computer/)).toBeNull();
    cleanup();
    useSession.setState({ appInfo: { name: 'Aesthetix Softphone', version: '0.1.0', host: 'browser', platform: 'linux', cloud: { mode: 'embedded', url: 'http://127.0.0.1:1' } } });
    render(<SlackIntegrationView />);
    await screen.findByRole('heading', { name: 'Glow Spa' });
    expect(screen.getByText(/Slack here is a stand-in on this computer with a demo workspace, “Glow Med Spa \(demo Slack workspace\)”, not slack.com/)).toBeTruthy();
    useSession.setState({ appInfo: undefined });
  });

  it("the Slack action's channel is picked from the list by keyboard, not typed", async () => {
    const user = userEvent.setup();
    let chosen = '';
    render(<SlackPicker connectionId="sl1" kind="public" label="Channel" value={null} onChange={(id) => (chosen = id)} />);
    const first = await screen.findByRole('radio', { name: /#front-desk/ });
    first.focus();
    await user.keyboard(' ');
    expect(chosen).toBe('C1');
    await user.click(screen.getByRole('button', { name: 'Load More' }));
    await user.click(await screen.findByRole('radio', { name: /#billing/ }));
    expect(chosen).toBe('C3');
  });
});
