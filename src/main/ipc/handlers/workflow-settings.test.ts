import { beforeEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../cloud-client/cloud-client';
import { workflowSettingsHandlers } from './workflow-settings';

let role: 'admin' | 'receptionist';
let requests: Array<{ method: string; path: string; body: unknown }>;
let answer: (method: string, path: string) => unknown;
let opened: string[];

const handlers = (allowLink = true) =>
  workflowSettingsHandlers({
    session: { get user() { return { id: 'u1', role } as never; }, authed: (fn) => fn('token') },
    api: {
      call: (async (_token: string, method: string, path: string, body: unknown, schema: { parse(v: unknown): unknown }) => {
        requests.push({ method, path, body });
        return schema.parse(answer(method, path));
      }) as never,
    },
    links: {
      check: (url) => (allowLink ? { allowed: true, href: url } : { allowed: false, reason: 'not ours' }),
      open: async (url) => {
        opened.push(url);
        return true;
      },
    },
  });
const invoke = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

beforeEach(() => {
  role = 'admin';
  requests = [];
  opened = [];
  answer = () => ({ items: [], nextCursor: null });
});

describe('workflow settings handlers', () => {
  it('refuses non-admins before asking the cloud', async () => {
    role = 'receptionist';
    await expect(invoke(handlers()['workflowSettings.templates'])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(requests).toEqual([]);
  });

  it('pages Slack members and channels with the cursor, encoding the workspace id', async () => {
    answer = (_m, path) =>
      path.includes('/channels')
        ? { items: [{ id: 'C1', name: 'front-desk', isPrivate: false, memberCount: 3 }], nextCursor: 'next 2' }
        : { items: [{ id: 'U1', name: 'ann', realName: 'Ann Lee', email: null }], nextCursor: null };
    const page = await invoke(handlers()['workflowSettings.slackChannels'], { connectionId: 'sl/1', type: 'private', cursor: 'abc' });
    expect(page.nextCursor).toBe('next 2');
    await invoke(handlers()['workflowSettings.slackMembers'], { connectionId: 'sl1', search: 'ann' });
    expect(requests.map((r) => r.path)).toEqual([
      '/v1/integrations/slack/sl%2F1/channels?limit=50&type=private&cursor=abc',
      '/v1/integrations/slack/sl1/members?limit=50&search=ann',
    ]);
  });

  it('asks the cloud which steps use a template', async () => {
    answer = () => ({ templateId: 'tpl_1', steps: [{ workflowId: 'w1', workflowName: 'New lead follow-up', stepId: 's1', stepName: 'Welcome', synced: false }] });
    const usage = await invoke(handlers()['workflowSettings.templateUsage'], { templateId: 'tpl_1' });
    expect(usage.steps).toHaveLength(1);
    expect(requests).toEqual([{ method: 'GET', path: '/v1/templates/tpl_1/usage', body: undefined }]);
  });

  it('trigger links: admins only; each link id goes into the path encoded, changes go as the body', async () => {
    const link = { id: 'tl/1', name: 'Book', key: 'book', url: 'https://glow.example/book', sent: 0, clicks: 0, contactsClicked: 0, lastClickedAt: null, createdAt: '', updatedAt: '' };
    answer = (method, path) =>
      path.endsWith('/usage') ? { linkId: 'tl/1', steps: [] } : path.endsWith('/clicks') ? { linkId: 'tl/1', contacts: [] } : method === 'DELETE' ? undefined : path === '/v1/trigger-links' && method === 'GET' ? [link] : link;
    expect(await invoke(handlers()['workflowSettings.triggerLinks'])).toEqual([link]);
    await invoke(handlers()['workflowSettings.createTriggerLink'], { name: 'Book', url: 'https://glow.example/book' });
    await invoke(handlers()['workflowSettings.updateTriggerLink'], { linkId: 'tl/1', url: 'https://glow.example/book-2' });
    await invoke(handlers()['workflowSettings.triggerLinkUsage'], { linkId: 'tl/1' });
    await invoke(handlers()['workflowSettings.triggerLinkClicks'], { linkId: 'tl/1' });
    expect(await invoke(handlers()['workflowSettings.deleteTriggerLink'], { linkId: 'tl/1' })).toEqual({ deleted: true });
    expect(requests).toEqual([
      { method: 'GET', path: '/v1/trigger-links', body: undefined },
      { method: 'POST', path: '/v1/trigger-links', body: { name: 'Book', url: 'https://glow.example/book' } },
      { method: 'PATCH', path: '/v1/trigger-links/tl%2F1', body: { url: 'https://glow.example/book-2' } },
      { method: 'GET', path: '/v1/trigger-links/tl%2F1/usage', body: undefined },
      { method: 'GET', path: '/v1/trigger-links/tl%2F1/clicks', body: undefined },
      { method: 'DELETE', path: '/v1/trigger-links/tl%2F1', body: undefined },
    ]);
    role = 'receptionist';
    await expect(invoke(handlers()['workflowSettings.createTriggerLink'], { name: 'Book', url: 'https://glow.example/book' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(requests).toHaveLength(6);
  });

  it('opens the Slack connect link only when the app may, and returns it either way', async () => {
    answer = () => ({ authorizeUrl: 'http://127.0.0.1:9/oauth', expiresAt: '2026-12-02T00:10:00Z' });
    expect(await invoke(handlers()['workflowSettings.slackConnect'])).toMatchObject({ opened: true });
    expect(await invoke(handlers(false)['workflowSettings.slackConnect'])).toEqual({ authorizeUrl: 'http://127.0.0.1:9/oauth', expiresAt: '2026-12-02T00:10:00Z', opened: false });
    expect(opened).toEqual(['http://127.0.0.1:9/oauth']);
  });

  it('says plainly when the cloud is unreachable or too old', async () => {
    answer = () => {
      throw new CloudError(0, 'NETWORK', 'fetch failed');
    };
    await expect(invoke(handlers()['workflowSettings.automation'])).rejects.toMatchObject({ message: /cannot be reached/ });
    answer = () => {
      throw new CloudError(404, 'ROUTE_NOT_FOUND', 'no route');
    };
    await expect(invoke(handlers()['workflowSettings.whatsApp'])).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
  });

  it('sending domains: listed, connected, verified and removed through the cloud, the domain id escaped into the path', async () => {
    const domain = { id: 'sdm 1', domain: 'glow.example', display: 'glow.example', status: 'pending', failure: null, lastCheckNote: null, records: [], lastCheckedAt: null, verifiedAt: null, createdAt: '2026-12-01T00:00:00Z' };
    answer = (method) => (method === 'GET' ? [domain] : method === 'DELETE' ? undefined : domain);
    // A cloud that does not read DMARC yet sends no strictAlignment: relaxed, DMARC's default.
    expect(await invoke(handlers()['workflowSettings.sendingDomains'])).toEqual([{ ...domain, strictAlignment: false }]);
    await invoke(handlers()['workflowSettings.addSendingDomain'], { domain: 'glow.example' });
    await invoke(handlers()['workflowSettings.verifySendingDomain'], { domainId: 'sdm 1' });
    expect(await invoke(handlers()['workflowSettings.removeSendingDomain'], { domainId: 'sdm 1' })).toEqual({ removed: true });
    expect(requests).toEqual([
      { method: 'GET', path: '/v1/sending-domains', body: undefined },
      { method: 'POST', path: '/v1/sending-domains', body: { domain: 'glow.example' } },
      { method: 'POST', path: '/v1/sending-domains/sdm%201/verify', body: undefined },
      { method: 'DELETE', path: '/v1/sending-domains/sdm%201', body: undefined },
    ]);
    role = 'receptionist';
    await expect(invoke(handlers()['workflowSettings.addSendingDomain'], { domain: 'glow.example' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('email replies: read and rotated through the cloud; a non-admin is refused before the cloud is asked', async () => {
    const settings = {
      url: 'https://cloud.example/hooks/email/inbound/acc_1', secret: 's1', signatureHeader: 'X-Aesthetix-Signature', signatureFormat: 't=<unix seconds>,v1=<hex>',
      contentType: 'message/rfc822', toleranceSeconds: 300, maxBytes: 10485760, loopback: false, lastReceivedAt: null, lastMatchedAt: null, rotatedAt: null,
    };
    answer = (method) => (method === 'POST' ? { ...settings, secret: 's2', rotatedAt: '2026-12-01T00:00:00.000Z' } : settings);
    expect((await invoke(handlers()['workflowSettings.inboundEmail'])).secret).toBe('s1');
    expect((await invoke(handlers()['workflowSettings.rotateInboundEmailSecret'])).secret).toBe('s2');
    expect(requests).toEqual([
      { method: 'GET', path: '/v1/email/inbound', body: undefined },
      { method: 'POST', path: '/v1/email/inbound/rotate', body: undefined },
    ]);
    role = 'receptionist';
    await expect(invoke(handlers()['workflowSettings.rotateInboundEmailSecret'])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(requests).toHaveLength(2);
  });
});
