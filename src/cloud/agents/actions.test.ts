import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AgentAction } from '../../shared/cloud/agents';
import type { CloudContext } from '../context';
import { OutboundHttp, type ResolveHost } from '../http/outbound';
import { runTool } from './actions';
import type { AgentCall } from './call-state';
import { toolsFor } from './tools';

/**
 * The Custom Action webhook at the call: where its URL leads is checked then, by the address the
 * connection uses (the card was saved days ago; its DNS may point inside the network now).
 */
describe('runTool: a Custom Action webhook', () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"secret":"INTERNAL-ONLY","order":{"status":"shipped"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dns: ResolveHost = async (hostname) => {
    const table: Record<string, string> = { 'orders.shop.test': '127.0.0.1', 'metadata.shop.test': '169.254.169.254' };
    if (!table[hostname]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address: table[hostname], family: 4 }];
  };

  function callWith(outbound: OutboundHttp, url: string): { call: AgentCall; run: () => ReturnType<typeof runTool> } {
    const action: AgentAction = {
      id: 'act_1', agentId: 'agt_1', phase: 'during', position: 0, name: 'Order status',
      config: { type: 'custom_action', url, method: 'GET', headers: [], body: '', responseInstruction: 'Your order is {{response.order.status}}.', condition: '' },
    };
    const ctx = { outbound, log: { warn: () => undefined } } as unknown as CloudContext;
    const call = {
      ctx, agent: { name: 'Front desk' } as Agent, accountId: 'acc_1', callId: 'call_1', callSid: 'CA1', from: '+13105550000', to: '+13105550100',
      phoneNumberId: null, contactId: null, conversation: { caller: { name: 'Ana' } }, log: [], redirect: null,
    } as unknown as AgentCall;
    const [tool] = toolsFor([action]);
    return { call, run: () => runTool(call, tool!, {}) };
  }

  it('outside sandbox mode, a name that resolves to this machine or a metadata address is refused at the call, and nothing is requested', async () => {
    for (const url of [`https://orders.shop.test:${port}/orders`, `https://metadata.shop.test:${port}/latest/meta-data`, `https://[::]:${port}/internal`]) {
      const { call, run } = callWith(new OutboundHttp({ allowLoopback: false, resolve: dns }), url);
      const result = await run();
      expect(result.ok).toBe(false);
      expect(result.say).toBe("I'm sorry, I couldn't check that right now. Someone from our front desk will follow up with you.");
      expect(call.log.map((l) => [l.status, l.detail])).toEqual([
        ['refused', 'Webhook refused. This address is on a private network; the webhook must be reachable on the public internet.'],
      ]);
    }
    expect(hits).toEqual([]);
  });

  it('where the address is allowed (the sandbox’s loopback test double), the answer is spoken', async () => {
    const { call, run } = callWith(new OutboundHttp({ allowLoopback: true, resolve: dns }), `http://orders.shop.test:${port}/orders`);
    expect(await run()).toEqual({ ok: true, say: 'Your order is shipped.' });
    expect(call.log.map((l) => l.status)).toEqual(['done']);
    expect(hits).toEqual(['GET /orders']);
  });
});

/** The agent's text goes to the caller's own number, which may be anywhere: only where the call policy allows. */
describe('runTool: the agent texts the caller', () => {
  it('a caller from a country the practice does not allow gets no text, and the log says why', async () => {
    const queries: string[] = [];
    const db = {
      query: async (sql: string) => {
        queries.push(sql);
        if (sql.includes('FROM accounts')) return [{ country: 'US', call_countries: null, outbound_calls_per_user_hour: 60 }];
        throw new Error(`nothing should be recorded or sent: ${sql}`);
      },
    };
    const action: AgentAction = {
      id: 'act_2', agentId: 'agt_1', phase: 'during', position: 0, name: 'Directions',
      config: { type: 'send_sms', message: 'Glow Med Spa is at 9600 Wilshire Blvd.', condition: '' },
    };
    const ctx = { db, log: { warn: () => undefined }, publicUrl: () => 'http://127.0.0.1' } as unknown as CloudContext;
    const call = {
      ctx, agent: { name: 'Front desk' } as Agent, accountId: 'acc_1', callId: 'call_1', callSid: 'CA1', from: '+18765550123', to: '+13105550100',
      phoneNumberId: null, contactId: null, conversation: { caller: { name: 'Ana' }, agent: { practiceName: 'Glow' } }, log: [], redirect: null,
    } as unknown as AgentCall;
    const [tool] = toolsFor([action]);
    const result = await runTool(call, tool!, {});
    expect(result).toMatchObject({ ok: false, say: "I'm sorry, I can't send a text to this number." });
    expect(call.log.map((l) => l.detail)).toEqual([expect.stringMatching(/^Text refused: Texts to Jamaica \(JM\) are not allowed/)]);
    expect(queries).toHaveLength(1);
  });
});
