import { describe, expect, it } from 'vitest';
import type { AgentAction, AgentActionConfig } from '../../../shared/cloud/agents';
import { agentCounters, limitRefusal } from './limits';

const card = (config: AgentActionConfig, i: number): AgentAction => ({ id: `a${i}`, agentId: 'ag', phase: config.type === 'update_contact_field' ? 'after' : 'during', name: `Card ${i}`, config, position: i });
const sms = (i: number) => card({ type: 'send_sms', message: 'Hi', condition: '' }, i);
const booking = (i: number) => card({ type: 'book_appointment', providerId: 'u1', locationId: null, calendar: '', durations: [30], leadTimeMinutes: 60, condition: '' }, i);
const field = (i: number) => card({ type: 'update_contact_field', field: 'email', instruction: 'their email' }, i);

describe('agent builder limits', () => {
  it('counts "12 of 15", "1 of 1 booking", "18 of 25 field updates"', () => {
    const actions = [...Array.from({ length: 11 }, (_, i) => sms(i)), booking(11), ...Array.from({ length: 18 }, (_, i) => field(20 + i))];
    const c = agentCounters(actions);
    expect([c.during.text, c.bookings.text, c.fieldUpdates.text]).toEqual(['12 of 15', '1 of 1 booking', '18 of 25 field updates']);
    expect([c.during.full, c.bookings.full, c.fieldUpdates.full]).toEqual([false, true, false]);
  });

  it('refuses the 16th during-call action, a 2nd booking and the 26th field update with the cloud’s sentences', () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => sms(i));
    expect(limitRefusal(fifteen.slice(0, 14), 'send_sms')).toBeNull();
    expect(limitRefusal(fifteen, 'call_transfer')).toBe('An agent can have at most 15 actions during the call; delete one first.');
    expect(limitRefusal([booking(0)], 'book_appointment')).toBe('An agent can have only 1 Book Appointment action; edit the one it has.');
    const fields = Array.from({ length: 25 }, (_, i) => field(i));
    expect(limitRefusal(fields, 'update_contact_field')).toBe('An agent can have at most 25 contact-field updates after the call; delete one first.');
    // After-call cards do not count against the 15.
    expect(limitRefusal(fields, 'send_sms')).toBeNull();
  });

  it('an edit counts the edited card once (keeping its type at the limit is fine; changing it into a 2nd booking is not)', () => {
    const fifteen = [booking(0), ...Array.from({ length: 14 }, (_, i) => sms(i + 1))];
    expect(limitRefusal(fifteen, 'send_sms', fifteen[3])).toBeNull();
    expect(limitRefusal(fifteen, 'book_appointment', fifteen[0])).toBeNull();
    expect(limitRefusal(fifteen, 'book_appointment', fifteen[3])).toBe('An agent can have only 1 Book Appointment action; edit the one it has.');
  });
});
