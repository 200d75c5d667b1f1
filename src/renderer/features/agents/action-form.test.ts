import { describe, expect, it } from 'vitest';
import type { AgentAction } from '../../../shared/cloud/agents';
import { draftFrom, draftToInput, newDraft } from './action-form';

describe('action dialog form', () => {
  it('turns each type’s fields into the card the cloud takes, and back', () => {
    const transfer = { ...newDraft('call_transfer'), targetKind: 'number' as const, number: '+1 (310) 555-0199', condition: 'caller asks for a nurse' };
    const r1 = draftToInput(transfer);
    expect(r1).toEqual({ ok: true, input: { name: 'Call Transfer', config: { type: 'call_transfer', target: { kind: 'number', number: '+13105550199' }, condition: 'caller asks for a nurse' } } });

    const hook = { ...newDraft('custom_action'), name: 'Order status', url: 'https://shop.example/api', headers: 'Authorization: Bearer abc\nX-Id: 7', body: '{"phone":"{{caller.phone}}"}', responseInstruction: 'Tell them {{response.status}}' };
    const r2 = draftToInput(hook);
    if (!r2.ok) throw new Error(r2.problems.join());
    expect(r2.input.config).toMatchObject({ headers: [{ name: 'Authorization', value: 'Bearer abc' }, { name: 'X-Id', value: '7' }], method: 'POST' });

    const booking = { ...newDraft('book_appointment'), providerId: 'u1', locationId: 'loc_bh', durations: '30, 60,90', leadTimeMinutes: '120' };
    const r3 = draftToInput(booking);
    if (!r3.ok) throw new Error(r3.problems.join());
    expect(r3.input.config).toMatchObject({ durations: [30, 60, 90], leadTimeMinutes: 120, locationId: 'loc_bh' });
    expect(draftToInput({ ...booking, locationId: '' })).toMatchObject({ ok: true, input: { config: { locationId: null } } });
    const back = draftFrom({ id: 'a1', agentId: 'ag', phase: 'during', position: 0, ...(r3.input as Pick<AgentAction, 'name' | 'config'>) });
    expect(back).toMatchObject({ providerId: 'u1', locationId: 'loc_bh', durations: '30, 60, 90', leadTimeMinutes: '120' });
  });

  it('says plainly what is missing or wrong, and sends nothing', () => {
    expect(draftToInput({ ...newDraft('send_sms'), message: '  ' })).toEqual({ ok: false, problems: ['Message: required'] });
    expect(draftToInput({ ...newDraft('call_transfer'), targetKind: 'team' })).toEqual({ ok: false, problems: ['Team: required'] });
    const hook = draftToInput({ ...newDraft('custom_action'), url: 'http://shop.example/api', body: '{phone: {{caller.phone}}}', responseInstruction: 'ok' });
    expect(hook.ok).toBe(false);
    if (!hook.ok) expect(hook.problems).toEqual(['JSON body: not valid JSON (put {{variables}} inside quotes).', 'Webhook URL: The webhook URL must be HTTPS']);
    const field = draftToInput({ ...newDraft('update_contact_field'), field: 'custom_fields.Skin Type', instruction: 'skin type' });
    if (!field.ok) expect(field.problems[0]).toMatch(/^Contact field: /);
    else throw new Error('accepted a bad field');
  });
});
