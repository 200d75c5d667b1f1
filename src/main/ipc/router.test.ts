import { describe, expect, it, vi } from 'vitest';
import { createIpcRouter, createSenderPolicy, type IpcHandlers, type IpcSender } from './router';
import { IpcFailure, ipcChannels } from '../../shared/ipc';

const ownPage = 'http://127.0.0.1:5173/index.html';
const goodSender: IpcSender = { id: 1, isMainFrame: true, frameUrl: ownPage };

function makeHandlers(): IpcHandlers {
  const unused = Object.fromEntries(Object.keys(ipcChannels).map((channel) => [channel, vi.fn()]));
  return {
    ...(unused as unknown as IpcHandlers),
    'app.getInfo': vi.fn(() => ({
      name: 'Aesthetix Softphone',
      version: '0.0.0',
      host: 'browser' as const,
      platform: 'linux',
      cloud: { mode: 'embedded' as const, url: 'http://127.0.0.1:1' },
    })),
    'app.openExternal': vi.fn(() => ({ opened: true })),
    'app.listNotices': vi.fn(() => []),
    'app.dismissNotice': vi.fn(() => ({ dismissed: true })),
    'window.show': vi.fn(() => ({ shown: true })),
  };
}

const policy = createSenderPolicy({
  isOwnWindow: (id) => id === 1,
  isOwnPage: (url) => url.origin === 'http://127.0.0.1:5173',
});

describe('IPC router', () => {
  it('calls the handler with validated input and wraps its value', async () => {
    const handlers = makeHandlers();
    const router = createIpcRouter(handlers, { isTrustedSender: policy });
    const result = await router.dispatch('app.openExternal', goodSender, 'https://aesthetix.example/help');
    expect(result).toEqual({ ok: true, value: { opened: true } });
    expect(handlers['app.openExternal']).toHaveBeenCalledWith('https://aesthetix.example/help', goodSender);
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a number', 42],
    ['nothing', undefined],
    ['an over-long string', `https://x.example/${'a'.repeat(5000)}`],
  ])('rejects %s as BAD_INPUT without calling the handler', async (_label, input) => {
    const handlers = makeHandlers();
    const router = createIpcRouter(handlers, { isTrustedSender: policy });
    const result = await router.dispatch('app.openExternal', goodSender, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('BAD_INPUT');
    expect(handlers['app.openExternal']).not.toHaveBeenCalled();
  });

  it('rejects input on a channel that takes none', async () => {
    const handlers = makeHandlers();
    const router = createIpcRouter(handlers, { isTrustedSender: policy });
    const result = await router.dispatch('app.getInfo', goodSender, { sneaky: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(handlers['app.getInfo']).not.toHaveBeenCalled();
  });

  it.each<[string, IpcSender]>([
    ['a subframe', { ...goodSender, isMainFrame: false }],
    ['another window', { ...goodSender, id: 2 }],
    ['a foreign origin', { ...goodSender, frameUrl: 'https://evil.example/' }],
    ['an unparseable URL', { ...goodSender, frameUrl: 'not a url' }],
  ])('rejects %s as FORBIDDEN_SENDER without calling the handler', async (_label, sender) => {
    const handlers = makeHandlers();
    const router = createIpcRouter(handlers, { isTrustedSender: policy });
    const result = await router.dispatch('window.show', sender, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(handlers['window.show']).not.toHaveBeenCalled();
  });

  it('rejects unknown channels', async () => {
    const router = createIpcRouter(makeHandlers(), { isTrustedSender: policy });
    expect(await router.dispatch('fs.readFile', goodSender, '/etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await router.dispatch('__proto__', goodSender, undefined)).toMatchObject({ ok: false });
  });

  it('passes a handler IpcFailure through with its code, and hides nothing else', async () => {
    const handlers = makeHandlers();
    handlers['app.dismissNotice'] = () => {
      throw new IpcFailure('NOT_FOUND', 'No such notice');
    };
    const onError = vi.fn();
    const router = createIpcRouter(handlers, { isTrustedSender: policy, onError });
    expect(await router.dispatch('app.dismissNotice', goodSender, 'n1')).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such notice' },
    });
    expect(onError).not.toHaveBeenCalled();
  });

  it('logs an unexpected error in main and sends the renderer only a stable code, a plain sentence and a reference', async () => {
    const handlers = makeHandlers();
    const raw = 'SqliteError: fts5: syntax error near "ᦰ" in /home/rita/.config/aesthetix/cache.sqlite';
    handlers['app.dismissNotice'] = () => {
      throw new Error(raw);
    };
    const onError = vi.fn();
    const router = createIpcRouter(handlers, { isTrustedSender: policy, onError });
    const result = await router.dispatch('app.dismissNotice', goodSender, 'n1');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INTERNAL');
    expect(result.error.message).not.toContain('fts5');
    expect(result.error.message).not.toContain('/home/');
    expect(result.error.message).toMatch(/^Something went wrong in the softphone \(reference E-[0-9A-F]{6}\)\. Try again/);
    const reference = /E-[0-9A-F]{6}/.exec(result.error.message)![0];
    expect(onError).toHaveBeenCalledWith('app.dismissNotice', expect.objectContaining({ message: raw }), reference);
  });

  it('hides what was thrown even when it is not an Error', async () => {
    const handlers = makeHandlers();
    handlers['app.dismissNotice'] = () => Promise.reject('/etc/shadow: permission denied');
    const router = createIpcRouter(handlers, { isTrustedSender: policy });
    const result = await router.dispatch('app.dismissNotice', goodSender, 'n1');
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('shadow');
  });

  it('never sends the renderer a result that breaks the contract', async () => {
    const handlers = makeHandlers();
    handlers['window.show'] = (() => ({ shown: 'yes' })) as unknown as IpcHandlers['window.show'];
    const onError = vi.fn();
    const router = createIpcRouter(handlers, { isTrustedSender: policy, onError });
    expect(await router.dispatch('window.show', goodSender, undefined)).toMatchObject({
      ok: false,
      error: { code: 'BAD_OUTPUT' },
    });
    expect(onError).toHaveBeenCalledOnce();
  });
});
