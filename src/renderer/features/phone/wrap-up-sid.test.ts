import { describe, expect, it } from 'vitest';
import type { CallState } from '../../voice/call-machine';
import { wrapUpSid } from './phone-runtime';

const call = (customParameters: Record<string, string>) => ({ customParameters }) as unknown as CallState;

describe('wrapUpSid', () => {
  it('keeps a wrap-up under the call’s own SID when the cloud named the call', () => {
    expect(wrapUpSid(call({ callId: 'call_1' }), 'CAchild')).toBe('CAchild');
    expect(wrapUpSid(call({ callId: 'call_1', parentCallSid: 'CAparent' }), 'CAchild')).toBe('CAchild');
    expect(wrapUpSid(call({}), 'CAchild')).toBe('CAchild');
  });

  it('rung by the voice fallback (no call row yet): under the caller’s CallSid, which the cloud files the call under', () => {
    expect(wrapUpSid(call({ parentCallSid: 'CAparent' }), 'CAchild')).toBe('CAparent');
  });
});
