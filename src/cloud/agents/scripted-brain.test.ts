import { describe, expect, it } from 'vitest';
import type { AgentAction } from '../../shared/cloud/agents';
import { extract, pickTool } from './scripted-brain';
import { parseSpokenTime } from './spoken-time';
import { toolsFor } from './tools';

const action = (id: string, name: string, config: AgentAction['config']): AgentAction => ({ id, agentId: 'agt', phase: config.type === 'update_contact_field' ? 'after' : 'during', name, config, position: 0 });
const tools = toolsFor([
  action('a1', 'Book a treatment', { type: 'book_appointment', providerId: 'usr', locationId: null, calendar: '', durations: [60], leadTimeMinutes: 60, condition: '' }),
  action('a2', 'Front desk', { type: 'call_transfer', target: { kind: 'team', teamId: 't' }, condition: 'caller asks for a person' }),
  action('a3', 'Nurse line', { type: 'call_transfer', target: { kind: 'user', userId: 'u' }, condition: 'caller asks for a nurse' }),
  action('a4', 'Directions', { type: 'send_sms', message: 'We are at 1 Main St', condition: 'caller asks for directions' }),
]);

describe('scripted agent rules', () => {
  it('picks the card whose condition the line matches, then by the type’s words', () => {
    expect(pickTool(tools, 'Can I talk to a nurse please')?.action.id).toBe('a3');
    expect(pickTool(tools, 'Can I speak to a person?')?.action.id).toBe('a2');
    expect(pickTool(tools, 'I would like to book a facial')?.action.id).toBe('a1');
    expect(pickTool(tools, 'What are the directions to you?')?.action.id).toBe('a4');
    expect(pickTool(tools, 'What is the weather')).toBeNull();
    expect(tools.map((t) => t.definition.name)).toEqual(['book_appointment_1_book_a_treatment', 'call_transfer_2_front_desk', 'call_transfer_3_nurse_line', 'send_sms_4_directions']);
  });

  it('reads a day and time in the practice’s zone, never in the past', () => {
    const now = new Date('2026-12-01T20:00:00Z'); // Tuesday 12:00 in Los Angeles
    expect(parseSpokenTime('Tuesday at ten works', now, 'America/Los_Angeles')?.toISOString()).toBe('2026-12-08T18:00:00.000Z');
    expect(parseSpokenTime('tomorrow at 2:30 pm', now, 'America/Los_Angeles')?.toISOString()).toBe('2026-12-02T22:30:00.000Z');
    expect(parseSpokenTime('Friday at three', now, 'America/Los_Angeles')?.toISOString()).toBe('2026-12-04T23:00:00.000Z');
    expect(parseSpokenTime('today at nine am', now, 'America/Los_Angeles')).toBeNull();
    expect(parseSpokenTime('sometime next week', now, 'America/Los_Angeles')).toBeNull();
  });

  it('extracts fields from what the caller said', () => {
    const said = ['Hi, my name is Ana Ruiz', 'my email is Ana.Ruiz@Example.com and my skin type is combination, thanks'];
    expect(extract('name', 'Their name', said)).toBe('Ana Ruiz');
    expect(extract('email', 'Their email', said)).toBe('ana.ruiz@example.com');
    expect(extract('custom_fields.skin_type', 'The caller’s skin type', said)).toBe('combination');
    expect(extract('custom_fields.allergies', 'Any allergies', said)).toBeNull();
  });
});
