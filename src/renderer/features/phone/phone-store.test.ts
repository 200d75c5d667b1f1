import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INFO_MESSAGE_MS, usePhone } from './phone-store';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  usePhone.getState().reset();
  vi.useRealTimers();
});

describe('the phone’s message', () => {
  it('a confirmation fades after a few seconds; a problem stays', () => {
    usePhone.getState().say('info', 'Logged “Booked”.');
    vi.advanceTimersByTime(INFO_MESSAGE_MS - 1);
    expect(usePhone.getState().message?.text).toBe('Logged “Booked”.');
    vi.advanceTimersByTime(1);
    expect(usePhone.getState().message).toBeNull();
    usePhone.getState().say('error', 'That number is too short.');
    vi.advanceTimersByTime(INFO_MESSAGE_MS * 3);
    expect(usePhone.getState().message?.text).toBe('That number is too short.');
  });

  it('a newer message is not cleared by an older one’s fade', () => {
    usePhone.getState().say('info', 'first');
    vi.advanceTimersByTime(INFO_MESSAGE_MS - 100);
    usePhone.getState().say('info', 'second');
    vi.advanceTimersByTime(200);
    expect(usePhone.getState().message?.text).toBe('second');
  });

  it('nothing survives sign-out for the next receptionist', () => {
    usePhone.getState().say('error', 'Transfer failed.');
    usePhone.getState().setLookup('+13105550142', null);
    usePhone.getState().reset();
    expect(usePhone.getState().message).toBeNull();
    expect(usePhone.getState().lookups).toEqual({});
    expect(usePhone.getState().wrapUps.items).toEqual([]);
  });
});

describe('a wrap-up starting', () => {
  const wrapup = (twilioCallSid: string) => ({
    twilioCallSid,
    callId: null,
    endedAt: '2026-12-05T10:00:00.000Z',
    locationId: null,
    dispositionId: null,
    note: null,
    state: 'pending' as const,
    updatedAt: 1,
  });
  const sids = () => usePhone.getState().wrapUps.items.map((w) => w.twilioCallSid);

  it('shows at once, after the calls main already has waiting, until main answers for it', () => {
    usePhone.getState().setWrapUps({ items: [wrapup('CA1')], undo: null, error: null });
    usePhone.getState().beginWrapUp(wrapup('CA2'));
    expect(sids()).toEqual(['CA1', 'CA2']);
    // A push from main made before it started the wrap-up does not take it away.
    usePhone.getState().setWrapUps({ items: [wrapup('CA1')], undo: null, error: null });
    expect(sids()).toEqual(['CA1', 'CA2']);
    // Main's answer has it: one entry, main's.
    usePhone.getState().setWrapUps({ items: [wrapup('CA1'), { ...wrapup('CA2'), updatedAt: 2 }], undo: null, error: null });
    usePhone.getState().settleWrapUp('CA2');
    expect(sids()).toEqual(['CA1', 'CA2']);
    expect(usePhone.getState().wrapUps.items[1]!.updatedAt).toBe(2);
  });

  it('goes when main answers without it (the call’s wrap-up had already ended)', () => {
    usePhone.getState().beginWrapUp(wrapup('CA3'));
    usePhone.getState().beginWrapUp(wrapup('CA3'));
    expect(sids()).toEqual(['CA3']);
    usePhone.getState().settleWrapUp('CA3');
    expect(sids()).toEqual([]);
  });

  it('takes the previous call’s “Logged” away (beside this call’s picker it would read as this one’s); other messages stay', () => {
    usePhone.getState().say('info', 'Logged “Follow Up”.', 'CA5');
    usePhone.getState().beginWrapUp(wrapup('CA5')); // the same call's wrap-up again (a reload): its confirmation stays
    expect(usePhone.getState().message?.text).toBe('Logged “Follow Up”.');
    usePhone.getState().beginWrapUp(wrapup('CA6'));
    expect(usePhone.getState().message).toBeNull();
    usePhone.getState().say('info', 'Transferred to Sam.');
    usePhone.getState().beginWrapUp(wrapup('CA7')); // the transferred call's own end
    expect(usePhone.getState().message?.text).toBe('Transferred to Sam.');
    usePhone.getState().say('error', 'Transfer failed.');
    usePhone.getState().beginWrapUp(wrapup('CA8'));
    expect(usePhone.getState().message?.text).toBe('Transfer failed.');
  });

  it('does not survive sign-out', () => {
    usePhone.getState().beginWrapUp(wrapup('CA4'));
    usePhone.getState().reset();
    expect(usePhone.getState().wrapUps.items).toEqual([]);
    expect(usePhone.getState().startingWrapUps).toEqual([]);
  });
});
