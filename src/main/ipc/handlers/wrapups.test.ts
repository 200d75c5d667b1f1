import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage, tempDir } from '../../../../test/support/cache-fixtures';
import { openCache, type CallCache } from '../../cache/cache';
import { WrapUps } from '../../phone/wrap-ups';
import { wrapupsHandlers } from './wrapups';

let tmp: ReturnType<typeof tempDir>;
let cache: CallCache;
let kicks = 0;
let changes: string[][] = [];

const wrapUps = () => new WrapUps({ cache, kickSync: () => void kicks++, onLocalChange: (entities) => changes.push(entities) });
const handlers = () => {
  const service = wrapUps();
  return { ...wrapupsHandlers({ wrapUps: service }), commitWaitingWrapups: () => service.commitWaiting() };
};
const call0 = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

beforeEach(() => {
  tmp = tempDir('wrapup-handlers-');
  cache = openCache({ file: tmp.file });
  cache.applyPull(seedPage());
  kicks = 0;
  changes = [];
});
afterEach(() => {
  cache.close();
  tmp.cleanup();
});

describe('wrap-up handlers', () => {
  it('start → choose → commit writes the call and the outbox in one go and ends the wrap-up', () => {
    cache.applyPull(page({ calls: [call('call_1', { twilioCallSid: 'CA1' })] }, 11));
    const h = handlers();
    call0(h['wrapups.start'], { twilioCallSid: 'CA1', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: null });
    expect(call0(h['wrapups.choose'], { twilioCallSid: 'CA1', dispositionId: 'dsp_follow', note: 'call back Friday' })).toMatchObject({ state: 'chosen' });
    expect(call0(h['wrapups.commit'], { twilioCallSid: 'CA1' })).toEqual({ committed: true });
    expect(cache.wrapups.list()).toEqual([]);
    expect(cache.calls.get('call_1')?.call).toMatchObject({ dispositionId: 'dsp_follow', note: 'call back Friday' });
    expect(cache.outbox.peekBatch(10, Date.now()).map((e) => e.mutation.type)).toEqual(['call.setDisposition']);
    expect(kicks).toBe(1);
  });

  it('a chosen wrap-up survives a restart and is offered again, choice included', () => {
    const h = handlers();
    call0(h['wrapups.start'], { twilioCallSid: 'CA2', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: 'loc_1' });
    call0(h['wrapups.choose'], { twilioCallSid: 'CA2', dispositionId: 'dsp_booked', note: null });
    cache.close();
    cache = openCache({ file: tmp.file });
    expect(call0(handlers()['wrapups.list'])).toEqual([expect.objectContaining({ twilioCallSid: 'CA2', dispositionId: 'dsp_booked', state: 'chosen', locationId: 'loc_1' })]);
  });

  it('commits once the call arrives when the cloud had not sent it yet', () => {
    const h = handlers();
    call0(h['wrapups.start'], { twilioCallSid: 'CA3', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: null });
    call0(h['wrapups.choose'], { twilioCallSid: 'CA3', dispositionId: 'dsp_spam', note: null });
    expect(call0(h['wrapups.commit'], { twilioCallSid: 'CA3' })).toEqual({ committed: false });
    expect(call0(h['wrapups.list'])).toEqual([]);
    expect(h.commitWaitingWrapups()).toBe(0);
    cache.applyPull(page({ calls: [call('call_3', { twilioCallSid: 'CA3' })] }, 12));
    expect(h.commitWaitingWrapups()).toBe(1);
    expect(cache.calls.get('call_3')?.call.dispositionId).toBe('dsp_spam');
    expect(cache.wrapups.list()).toEqual([]);
  });

  it('refuses a disposition that does not exist and keeps the wrap-up as it was', () => {
    const h = handlers();
    call0(h['wrapups.start'], { twilioCallSid: 'CA4', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: null });
    expect(() => call0(h['wrapups.choose'], { twilioCallSid: 'CA4', dispositionId: 'dsp_nope', note: null })).toThrow(/no longer exists/);
    expect(cache.wrapups.get('CA4')).toMatchObject({ state: 'pending', dispositionId: null });
    expect(() => call0(h['wrapups.commit'], { twilioCallSid: 'CA4' })).toThrow(/Choose a disposition first/);
  });

  it('dismisses a wrap-up without a disposition (desk phone, skipped)', () => {
    const h = handlers();
    call0(h['wrapups.start'], { twilioCallSid: 'CA5', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: null });
    expect(call0(h['wrapups.dismiss'], { twilioCallSid: 'CA5' })).toEqual({ dismissed: true });
    expect(cache.outbox.pendingCount()).toBe(0);
  });
});
