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
