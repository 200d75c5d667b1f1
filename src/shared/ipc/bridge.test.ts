import { describe, expect, it, vi } from 'vitest';
import { createBridge, type BridgeTransport } from './bridge';
import { IPC_CHANNEL_NAMES, IPC_EVENT_NAMES } from './channel-names';
import { ipcChannels, ipcEvents } from './contract';

describe('createBridge', () => {
  it('exposes one function per contract channel, grouped by namespace', async () => {
    const transport: BridgeTransport = {
      invoke: vi.fn(async () => ({ ok: true as const, value: 'v' })),
      subscribe: vi.fn(() => () => undefined),
    };
    const bridge = createBridge(transport) as unknown as Record<string, Record<string, (i?: unknown) => Promise<unknown>>>;
    for (const channel of Object.keys(ipcChannels)) {
      const [ns, method] = channel.split('.') as [string, string];
      expect(typeof bridge[ns]?.[method]).toBe('function');
    }
    await bridge.app!.openExternal!('https://x.example');
    expect(transport.invoke).toHaveBeenCalledWith('app.openExternal', 'https://x.example');
  });

  it('carries exactly the contract\'s channels and events: channel-names.ts lists them without the schemas', () => {
    expect([...IPC_CHANNEL_NAMES].sort()).toEqual(Object.keys(ipcChannels).sort());
    expect([...IPC_EVENT_NAMES].sort()).toEqual(Object.keys(ipcEvents).sort());
  });

  it('refuses to subscribe to an event that is not in the contract', () => {
    const transport: BridgeTransport = { invoke: vi.fn(), subscribe: vi.fn(() => () => undefined) };
    const bridge = createBridge(transport);
    expect(() => bridge.on('nope' as never, () => undefined)).toThrow(/Unknown event/);
    bridge.on('app.notice', () => undefined);
    expect(transport.subscribe).toHaveBeenCalledWith('app.notice', expect.any(Function));
  });

  it('is frozen so page scripts cannot swap a method', () => {
    const bridge = createBridge({ invoke: vi.fn(), subscribe: vi.fn() });
    expect(Object.isFrozen(bridge)).toBe(true);
  });
});
