import { describe, expect, it } from 'vitest';
import { readServerFrame } from './socket-protocol';

describe('readServerFrame', () => {
  it('reads results and events as the host sends them', () => {
    expect(readServerFrame({ type: 'result', id: 3, result: { ok: true, value: { a: 1 } } })).toEqual({ type: 'result', id: 3, result: { ok: true, value: { a: 1 } } });
    expect(readServerFrame({ type: 'result', id: 0, result: { ok: true } })).toEqual({ type: 'result', id: 0, result: { ok: true, value: undefined } });
    expect(readServerFrame({ type: 'result', id: 4, result: { ok: false, error: { code: 'BAD_INPUT', message: 'number: too short', extra: 1 } } })).toEqual({
      type: 'result',
      id: 4,
      result: { ok: false, error: { code: 'BAD_INPUT', message: 'number: too short' } },
    });
    expect(readServerFrame({ type: 'event', event: 'sync.status', payload: { state: 'online' } })).toEqual({ type: 'event', event: 'sync.status', payload: { state: 'online' } });
  });

  it('drops anything else', () => {
    const bad: unknown[] = [
      null,
      'result',
      [],
      {},
      { type: 'invoke', id: 1, channel: 'app.getInfo' },
      { type: 'result', result: { ok: true } },
      { type: 'result', id: -1, result: { ok: true } },
      { type: 'result', id: 1.5, result: { ok: true } },
      { type: 'result', id: '1', result: { ok: true } },
      { type: 'result', id: 1 },
      { type: 'result', id: 1, result: { ok: 'yes' } },
      { type: 'result', id: 1, result: { ok: false } },
      { type: 'result', id: 1, result: { ok: false, error: { code: '', message: 'x' } } },
      { type: 'result', id: 1, result: { ok: false, error: { code: 'X' } } },
      { type: 'result', id: 1, result: { ok: false, error: 'X' } },
      { type: 'event', payload: 1 },
      { type: 'event', event: 7 },
    ];
    for (const frame of bad) expect(readServerFrame(frame), JSON.stringify(frame)).toBeNull();
  });
});
