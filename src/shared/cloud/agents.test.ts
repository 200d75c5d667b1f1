import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS, actionConfigSchema, actionLimitProblem, countActions, type AgentActionType } from './agents';

const cards = (types: AgentActionType[]) => types.map((type) => ({ config: { type } }));

describe('AI agent action limits', () => {
  it('counts during-the-call actions, bookings and field updates', () => {
    expect(countActions(cards(['call_transfer', 'book_appointment', 'update_contact_field', 'send_sms']))).toEqual({ during: 3, bookings: 1, fieldUpdates: 1 });
  });

  it('allows up to 15 during the call, then refuses', () => {
    const fourteen = countActions(cards(Array<AgentActionType>(14).fill('send_sms')));
    expect(actionLimitProblem(fourteen, 'call_transfer')).toBeNull();
    const fifteen = countActions(cards(Array<AgentActionType>(15).fill('send_sms')));
    expect(actionLimitProblem(fifteen, 'call_transfer')).toMatch(/at most 15 actions during the call/);
    // Editing one of the fifteen (even changing its type) is not a sixteenth.
    expect(actionLimitProblem(fifteen, 'custom_action', 'send_sms')).toBeNull();
    // Field updates are counted apart.
    expect(actionLimitProblem(fifteen, 'update_contact_field')).toBeNull();
  });

  it('allows one booking only', () => {
    const one = countActions(cards(['book_appointment']));
    expect(actionLimitProblem(one, 'book_appointment')).toMatch(/only 1 Book Appointment/);
    expect(actionLimitProblem(one, 'book_appointment', 'book_appointment')).toBeNull();
    expect(actionLimitProblem(countActions(cards(['book_appointment', 'send_sms'])), 'book_appointment', 'send_sms')).toMatch(/only 1/);
  });

  it('allows up to 25 field updates after the call', () => {
    expect(actionLimitProblem(countActions(cards(Array<AgentActionType>(24).fill('update_contact_field'))), 'update_contact_field')).toBeNull();
    const full = countActions(cards(Array<AgentActionType>(AGENT_LIMITS.fieldUpdates).fill('update_contact_field')));
    expect(actionLimitProblem(full, 'update_contact_field')).toMatch(/at most 25 contact-field updates/);
    expect(actionLimitProblem(full, 'update_contact_field', 'update_contact_field')).toBeNull();
    expect(actionLimitProblem(full, 'send_sms')).toBeNull();
  });

  it('validates each card type', () => {
    expect(actionConfigSchema.safeParse({ type: 'custom_action', url: 'ftp://x.example', method: 'POST', responseInstruction: 'say it' }).success).toBe(false);
    expect(actionConfigSchema.safeParse({ type: 'custom_action', url: 'https://x.example/hook', method: 'POST', responseInstruction: 'say it' }).success).toBe(true);
    expect(actionConfigSchema.safeParse({ type: 'custom_action', url: 'http://x.example/hook', method: 'POST', responseInstruction: 'say it' }).success).toBe(false);
    expect(actionConfigSchema.safeParse({ type: 'custom_action', url: 'http://127.0.0.1:9/hook', method: 'POST', responseInstruction: 'say it' }).success).toBe(true);
    expect(actionConfigSchema.safeParse({ type: 'update_contact_field', field: 'custom_fields.Bad Key', instruction: 'x' }).success).toBe(false);
    expect(actionConfigSchema.safeParse({ type: 'update_contact_field', field: 'custom_fields.skin_type', instruction: 'Their skin type' }).success).toBe(true);
    expect(actionConfigSchema.safeParse({ type: 'book_appointment', providerId: 'usr_1', durations: [] }).success).toBe(false);
    expect(actionConfigSchema.safeParse({ type: 'call_transfer', target: { kind: 'number', number: '555' } }).success).toBe(false);
  });
});
