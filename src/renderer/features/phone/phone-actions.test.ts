import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge } from '../../testing/fake-bridge';
import { VoiceError, type CallState } from '../../voice';
import { chooseDisposition, runPhoneAction, setRecordingPaused, suggestContacts, transferCall } from './phone-actions';
import { usePhone } from './phone-store';

const fake = installFakeBridge();
const SID = `CA${'0'.repeat(32)}`;
const call = (customParameters: Record<string, string>): CallState =>
  ({ id: 'local-1', direction: 'incoming', from: '+13105550100', to: 'client:me', callSid: SID, customParameters }) as unknown as CallState;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  fake.calls.length = 0;
  usePhone.setState({ message: null });
});

describe('phone actions', () => {
  it('a refused command becomes the phone’s message, thrown or rejected', async () => {
    runPhoneAction(() => {
      throw new VoiceError('busy', 'Finish the current call before placing another.');
    });
    expect(usePhone.getState().message).toEqual({ level: 'error', text: 'Finish the current call before placing another.' });
    runPhoneAction(() => Promise.reject(new Error('Hold failed: no audio')));
    await settle();
    expect(usePhone.getState().message).toEqual({ level: 'error', text: 'Hold failed: no audio' });
  });

  it('names the call by the cloud’s id when it has one, else by its CallSid', async () => {
    fake.handlers['calls.action'] = () => ({ accepted: true });
    await setRecordingPaused(call({ callId: 'call_abc' }), true);
    await setRecordingPaused(call({}), false);
    expect(fake.callsTo('calls.action')).toEqual([
      { callId: 'call_abc', action: 'recording.pause' },
      { callSid: SID, action: 'recording.resume' },
    ]);
  });

  it('a transfer says where the call went; a refusal says why and rejects', async () => {
    fake.handlers['calls.action'] = () => ({ accepted: true });
    await transferCall(call({ callId: 'call_abc' }), { toUserId: 'u2' }, 'Ana');
    expect(fake.callsTo('calls.action')).toEqual([{ callId: 'call_abc', action: 'transfer', toUserId: 'u2' }]);
    expect(usePhone.getState().message).toEqual({ level: 'info', text: 'Transferred to Ana.' });
    fake.handlers['calls.action'] = () => {
      throw new Error('The call has already ended.');
    };
    await expect(transferCall(call({ callId: 'call_abc' }), { toNumber: '+14245550100' }, '(424) 555-0100')).rejects.toThrow('The call has already ended.');
    expect(usePhone.getState().message).toEqual({ level: 'error', text: 'The call has already ended.' });
  });

  it('suggests only contacts that have a number', async () => {
    fake.handlers['search.query'] = () => ({ contacts: [{ id: 'k1', name: 'Ana', phone: '+13105550100' }, { id: 'k2', name: 'Ana B', phone: null }] });
    expect((await suggestContacts(' an '))?.map((c) => c.id)).toEqual(['k1']);
    expect(fake.callsTo('search.query')).toEqual([{ query: 'an', limit: 6 }]);
  });

  it('a wrap-up intent applies main’s answer, or hands back main’s refusal', async () => {
    const state = { items: [], undo: { twilioCallSid: 'CA1', dispositionId: 'd1', commitAt: 5_000 }, error: null };
    fake.handlers['wrapups.choose'] = () => state;
    expect(await chooseDisposition('CA1', 'd1', null)).toBeNull();
    expect(usePhone.getState().wrapUps).toEqual(state);
    fake.handlers['wrapups.choose'] = () => {
      throw new Error('That disposition no longer exists. Pick another.');
    };
    expect(await chooseDisposition('CA1', 'd9', 'note')).toBe('That disposition no longer exists. Pick another.');
    expect(usePhone.getState().wrapUps).toEqual(state);
  });
});
