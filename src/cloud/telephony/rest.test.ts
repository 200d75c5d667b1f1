import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConfig } from '../config';
import { createTwilioSmsSender } from '../twofa/delivery';
import { createTwilioRest } from './rest';

describe('Twilio REST through the official client, rebased onto a local server', () => {
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      if (req.url!.includes('CAmissing')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20404, message: 'not found', status: 404 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: 'CA1', status: 'completed' }));
    });
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the calls the official client builds, with basic auth, to the configured base', async () => {
    const config = sandboxConfig({ twilio: { restBaseUrl: base } });
    const rest = createTwilioRest(config);
    await rest.updateCall('CA123', { status: 'completed' });
    await rest.setRecordingStatus('CA123', 'paused');
    await rest.updateCall('CA123', { twiml: '<Response><Dial><Client>u</Client></Dial></Response>' });
    const account = config.twilio.accountSid;
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `POST /2010-04-01/Accounts/${account}/Calls/CA123.json`,
      `POST /2010-04-01/Accounts/${account}/Calls/CA123/Recordings/Twilio.CURRENT.json`,
      `POST /2010-04-01/Accounts/${account}/Calls/CA123.json`,
    ]);
    expect(new URLSearchParams(seen[0]!.body).get('Status')).toBe('completed');
    expect(new URLSearchParams(seen[1]!.body).get('Status')).toBe('paused');
    expect(new URLSearchParams(seen[2]!.body).get('Twiml')).toContain('<Client>u</Client>');
    expect(Buffer.from(seen[0]!.auth!.replace('Basic ', ''), 'base64').toString()).toBe(`${account}:${config.twilio.authToken}`);
    await expect(rest.updateCall('CAmissing', { status: 'completed' })).rejects.toMatchObject({ status: 404 });
  });

  it('sends 2FA text messages through the same client factory, to the same base', async () => {
    seen.length = 0;
    const config = sandboxConfig({ twilio: { restBaseUrl: base } });
    await createTwilioSmsSender(config).send({ to: '+13105550177', from: '+13105550100', body: 'Aesthetix code: 123456' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`POST /2010-04-01/Accounts/${config.twilio.accountSid}/Messages.json`]);
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toMatchObject({ To: '+13105550177', From: '+13105550100', Body: 'Aesthetix code: 123456' });
    expect(Buffer.from(seen[0]!.auth!.replace('Basic ', ''), 'base64').toString()).toBe(`${config.twilio.accountSid}:${config.twilio.authToken}`);
  });
});
