import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEmailSettings } from '../../../../shared/cloud/inbound-email';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { InboundEmailView, arrivalText } from './InboundEmailView';

const fake = installFakeBridge();
const SECRET = 'Zm9vYmFyLXNlY3JldC0xMjM0NTY3ODkwYWJjZGVm';
const settings = (over: Partial<InboundEmailSettings> = {}): InboundEmailSettings => ({
  url: 'https://cloud.glowmedspa.example/hooks/email/inbound/acc_1',
  secret: SECRET,
  signatureHeader: 'X-Aesthetix-Signature',
  signatureFormat: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
  contentType: 'message/rfc822',
  toleranceSeconds: 300,
  maxBytes: 10 * 1024 * 1024,
  loopback: false,
  lastReceivedAt: null,
  lastMatchedAt: null,
  rotatedAt: null,
  ...over,
});

beforeEach(() => {
  fake.calls.length = 0;
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' }, appInfo: undefined });
  fake.handlers['workflowSettings.inboundEmail'] = () => settings();
});
afterEach(cleanup);

describe('Settings → Email replies', { timeout: 30_000 }, () => {
  it('by keyboard: the URL and how to sign; the secret masked until Reveal; Copy puts each on the clipboard and says so', async () => {
    const user = userEvent.setup();
    render(<InboundEmailView />);
    expect(await screen.findByText('https://cloud.glowmedspa.example/hooks/email/inbound/acc_1')).toBeTruthy();
    // Nothing has arrived: said plainly, never "connected".
    expect(screen.getByTestId('inbound-arrival').textContent).toBe(
      'No reply received yet. Replies arrive only once your mail provider (or a relay) posts them to this URL, signed with this secret.',
    );
    expect(screen.queryByText(/connected/i)).toBeNull();
    // How to sign: the header names the webhook checks.
    expect(screen.getByText('Content-Type: message/rfc822')).toBeTruthy();
    expect(screen.getByText('X-Aesthetix-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>')).toBeTruthy();
    expect(screen.getByText(/more than 5 minutes off is refused/)).toBeTruthy();
    // Masked: the secret is nowhere in the page until revealed.
    expect(document.body.textContent).not.toContain(SECRET);

    await user.tab(); // Copy the webhook URL
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Copy the webhook URL' }));
    await user.keyboard('{Enter}');
    expect(screen.getByRole('status').textContent).toBe('Copied the webhook URL.');
    // user-event's own clipboard stands in for the system's.
    expect(await navigator.clipboard.readText()).toBe('https://cloud.glowmedspa.example/hooks/email/inbound/acc_1');
    await user.tab();
    const reveal = screen.getByRole('button', { name: 'Reveal' });
    expect(document.activeElement).toBe(reveal);
    expect(reveal.getAttribute('aria-pressed')).toBe('false');
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('inbound-secret').textContent).toBe(SECRET);
    expect(screen.getByRole('button', { name: 'Hide' }).getAttribute('aria-pressed')).toBe('true');
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('status').textContent).toBe('Copied the signing secret.');
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    // Hide again.
    await user.click(screen.getByRole('button', { name: 'Hide' }));
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('Rotate secret by keyboard: the question says the old secret stops at once; Keep it keeps it; confirmed, the new secret replaces it (masked) and the status says what to do', async () => {
    fake.handlers['workflowSettings.rotateInboundEmailSecret'] = () => settings({ secret: 'bmV3LXNlY3JldC1hZnRlci1yb3RhdGlvbi0xMjM0', rotatedAt: '2026-12-02T09:00:00Z' });
    const user = userEvent.setup();
    render(<InboundEmailView />);
    const rotate = await screen.findByRole('button', { name: 'Rotate secret…' });
    rotate.focus();
    await user.keyboard('{Enter}');
    const dialog = within(screen.getByRole('dialog', { name: 'Rotate the signing secret?' }));
    expect(dialog.getByText(/The current secret stops working at once/)).toBeTruthy();
    // Keep it is one Tab from the danger button (Escape, the native dialog's, is the E2E spec's).
    dialog.getByRole('button', { name: 'Rotate secret' }).focus();
    await user.tab();
    expect(document.activeElement).toBe(dialog.getByRole('button', { name: 'Keep it' }));
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.callsTo('workflowSettings.rotateInboundEmailSecret')).toEqual([]);

    rotate.focus();
    await user.keyboard('{Enter}');
    const again = within(screen.getByRole('dialog'));
    again.getByRole('button', { name: 'Rotate secret' }).focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Secret rotated: give your mail provider the new secret now.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.callsTo('workflowSettings.rotateInboundEmailSecret')).toHaveLength(1);
    expect(document.body.textContent).not.toContain('bmV3LXNlY3JldC1hZnRlci1yb3RhdGlvbi0xMjM0');
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    expect(screen.getByTestId('inbound-secret').textContent).toBe('bmV3LXNlY3JldC1hZnRlci1yb3RhdGlvbi0xMjM0');
    expect(screen.queryByText('Never.')).toBeNull();
  });

  it('a refused rotation (rate limit) is said in the dialog, which stays; the secret is unchanged', async () => {
    fake.handlers['workflowSettings.rotateInboundEmailSecret'] = () => {
      throw Object.assign(new Error('The reply secret was rotated 10 times in the last hour; try again in 42 min.'), { code: 'RATE_LIMITED' });
    };
    const user = userEvent.setup();
    render(<InboundEmailView />);
    await user.click(await screen.findByRole('button', { name: 'Rotate secret…' }));
    await user.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect(await screen.findByText('The reply secret was rotated 10 times in the last hour; try again in 42 min.')).toBeTruthy();
    expect(screen.getByRole('dialog')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Keep it' }));
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    expect(screen.getByTestId('inbound-secret').textContent).toBe(SECRET);
  });

  it('a URL only this computer can reach is said plainly: the demo names its Demo inbox, a real server its public address', async () => {
    fake.handlers['workflowSettings.inboundEmail'] = () => settings({ loopback: true, url: 'http://127.0.0.1:4010/hooks/email/inbound/acc_1' });
    useSession.setState({ appInfo: { cloud: { mode: 'embedded' } } as never });
    render(<InboundEmailView />);
    expect(await screen.findByText(/Demo practice: this URL is on this computer, so no mail provider can reach it\. The Demo inbox’s Reply posts here/)).toBeTruthy();
    cleanup();
    useSession.setState({ appInfo: { cloud: { mode: 'remote' } } as never });
    render(<InboundEmailView />);
    expect(await screen.findByText(/no mail provider can reach it\. The server’s public address \(CLOUD_PUBLIC_URL\) must be set first/)).toBeTruthy();
    cleanup();
    fake.handlers['workflowSettings.inboundEmail'] = () => settings();
    render(<InboundEmailView />);
    await screen.findByText('https://cloud.glowmedspa.example/hooks/email/inbound/acc_1');
    expect(screen.queryByText(/no mail provider can reach it/)).toBeNull();
  });

  it('offline or refused: the reason is shown, no URL or secret', async () => {
    fake.handlers['workflowSettings.inboundEmail'] = () => {
      throw Object.assign(new Error('The cloud cannot be reached: these settings are changed online. Try again when you are connected.'), { code: 'UNAVAILABLE' });
    };
    render(<InboundEmailView />);
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/The cloud cannot be reached/);
    expect(screen.queryByRole('button', { name: 'Rotate secret…' })).toBeNull();
  });

  it('says when a message last arrived, and when one last counted as a reply', () => {
    const received = arrivalText({ lastReceivedAt: '2026-12-01T10:00:00Z', lastMatchedAt: null });
    expect(received).toMatch(/^Last message received: .+\. None has answered an email a workflow sent yet\.$/);
    expect(arrivalText({ lastReceivedAt: '2026-12-01T10:00:00Z', lastMatchedAt: '2026-12-01T09:00:00Z' })).toMatch(/The last that answered an email a workflow sent \(counted as Replied\): /);
  });
});
