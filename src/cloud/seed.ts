import { noDnd } from '../shared/cloud/entities';
import { hashPassword, type PasswordCost } from './auth/passwords';
import type { Database } from './db';
import { createContact } from './contacts/service';
import { createDefaultDispositions } from './dispositions/service';
import { createNotification } from './notifications/service';
import { write } from './db/unit-of-work';

/**
 * The demo practice: what `npm run cloud:seed` and the desktop's embedded default start with.
 * Idempotent: seeding a database that already has the demo account changes nothing.
 */
export const DEMO_ACCOUNT_ID = 'acc_demo';
export const DEMO_PASSWORD = 'glow-demo-2024';
export const DEMO_USERS = {
  admin: { id: 'usr_demo_admin', email: 'admin@glowmedspa.example', name: 'Dr. Maya Chen', role: 'admin' as const },
  receptionist: { id: 'usr_demo_jordan', email: 'jordan@glowmedspa.example', name: 'Jordan Lee', role: 'user' as const },
  receptionist2: { id: 'usr_demo_avery', email: 'avery@glowmedspa.example', name: 'Avery Patel', role: 'user' as const },
};
export const DEMO_LOCATIONS = {
  beverlyHills: { id: 'loc_demo_bh', name: 'Beverly Hills' },
  santaMonica: { id: 'loc_demo_sm', name: 'Santa Monica' },
};
export const DEMO_NUMBERS = {
  beverlyHillsMain: { id: 'num_demo_bh_main', number: '+13105550100', name: 'Beverly Hills main line' },
  santaMonicaMain: { id: 'num_demo_sm_main', number: '+14245550123', name: 'Santa Monica main line' },
  jordanDirect: { id: 'num_demo_jordan', number: '+13105550111', name: "Jordan's direct line" },
};
/**
 * Trigger links (Automation → Trigger links) and the SMS templates that carry them, so the demo
 * shows the feature at work: a template put into a Send SMS or Manual SMS step sends each contact
 * their own tracked short link. The keys are what `triggerLinkKeyFromName` makes of the names.
 */
export const DEMO_TRIGGER_LINKS = {
  booking: { id: 'tl_demo_booking', name: 'Online booking', key: 'online_booking', url: 'https://glowmedspa.example/book' },
  intake: { id: 'tl_demo_intake', name: 'New patient intake form', key: 'new_patient_intake_form', url: 'https://glowmedspa.example/forms/new-patient-intake' },
};
export const DEMO_SMS_TEMPLATES = [
  {
    id: 'tpl_demo_missed_call_booking',
    name: 'Missed call: book online',
    body: `Hi {{contact.first_name}}, sorry we missed your call at Glow Aesthetics Med Spa. Book a time that suits you here: {{trigger_link.${DEMO_TRIGGER_LINKS.booking.key}}}`,
  },
  {
    id: 'tpl_demo_new_patient_intake',
    name: 'New patient: intake form',
    body: `Welcome to Glow Aesthetics, {{contact.first_name}}! Please fill in your intake form before your first visit: {{trigger_link.${DEMO_TRIGGER_LINKS.intake.key}}}`,
  },
];
/** A contact whose inbound calls are blocked (DND): calls from it ring no one. */
export const DEMO_BLOCKED_CALLER = '+13105559999';

export interface SeedResult {
  accountId: string;
  created: boolean;
  users: typeof DEMO_USERS;
  password: string;
}

const FIRST = ['Olivia', 'Emma', 'Ava', 'Sophia', 'Isabella', 'Mia', 'Amelia', 'Harper', 'Evelyn', 'Abigail', 'Liam', 'Noah', 'Ethan', 'Lucas', 'Mason', 'Chloe', 'Grace', 'Zoe', 'Lily', 'Nora'];
const LAST = ['Garcia', 'Kim', 'Nguyen', 'Smith', 'Johnson', 'Martinez', 'Brown', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson'];
const TAGS = ['botox', 'filler', 'laser', 'facial', 'vip', 'new-patient', 'membership', 'consult'];

/** Small deterministic PRNG so every seeded demo looks the same. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemo(db: Database, options: { argon2: PasswordCost; now?: Date }): Promise<SeedResult> {
  const result: SeedResult = { accountId: DEMO_ACCOUNT_ID, created: false, users: DEMO_USERS, password: DEMO_PASSWORD };
  const existing = await db.query(`SELECT 1 FROM accounts WHERE id = $1`, [DEMO_ACCOUNT_ID]);
  if (existing.length > 0) return result;
  const passwordHash = await hashPassword(DEMO_PASSWORD, options.argon2);
  const now = options.now ?? new Date();
  const random = prng(20240611);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  await write(db, DEMO_ACCOUNT_ID, async (uow) => {
    const q = uow.q;
    const inserted = await q.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Glow Aesthetics Med Spa') ON CONFLICT (id) DO NOTHING RETURNING id`, [DEMO_ACCOUNT_ID]);
    if (inserted.length === 0) return; // another process seeded it first
    result.created = true;
    uow.touch('accounts', DEMO_ACCOUNT_ID);
    for (const loc of Object.values(DEMO_LOCATIONS)) {
      await q.query(`INSERT INTO locations (id, account_id, name) VALUES ($1, $2, $3)`, [loc.id, DEMO_ACCOUNT_ID, loc.name]);
      uow.touch('locations', loc.id);
    }
    await q.query(`INSERT INTO teams (id, account_id, name) VALUES ('team_demo_front_desk', $1, 'Front Desk')`, [DEMO_ACCOUNT_ID]);
    uow.touch('teams', 'team_demo_front_desk');
    const userLocations: Record<string, string[]> = {
      [DEMO_USERS.admin.id]: [DEMO_LOCATIONS.beverlyHills.id, DEMO_LOCATIONS.santaMonica.id],
      [DEMO_USERS.receptionist.id]: [DEMO_LOCATIONS.beverlyHills.id],
      [DEMO_USERS.receptionist2.id]: [DEMO_LOCATIONS.santaMonica.id],
    };
    for (const user of Object.values(DEMO_USERS)) {
      await q.query(
        `INSERT INTO users (id, account_id, email, name, role, password_hash, location_ids, team_ids) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
        [user.id, DEMO_ACCOUNT_ID, user.email, user.name, user.role, passwordHash, JSON.stringify(userLocations[user.id]),
          JSON.stringify(user.role === 'user' ? ['team_demo_front_desk'] : [])],
      );
      uow.touch('users', user.id);
    }
    const numbers = [
      { ...DEMO_NUMBERS.beverlyHillsMain, location: DEMO_LOCATIONS.beverlyHills.id, routing: 'ring_all', assigned: null, whisper: 'Call from the Beverly Hills main line', record: true },
      { ...DEMO_NUMBERS.santaMonicaMain, location: DEMO_LOCATIONS.santaMonica.id, routing: 'ring_all', assigned: null, whisper: 'Call from the Santa Monica main line', record: false },
      { ...DEMO_NUMBERS.jordanDirect, location: DEMO_LOCATIONS.beverlyHills.id, routing: 'assigned_member', assigned: DEMO_USERS.receptionist.id, whisper: null, record: false },
    ];
    for (const n of numbers) {
      await q.query(
        `INSERT INTO phone_numbers (id, account_id, location_id, number, name, whisper_message, record_calls, inbound_routing, assigned_user_id, ring_timeout_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 20)`,
        [n.id, DEMO_ACCOUNT_ID, n.location, n.number, n.name, n.whisper, n.record, n.routing, n.assigned],
      );
      uow.touch('phoneNumbers', n.id);
    }
    await createDefaultDispositions(uow);
    const dispositions = await q.query<{ id: string }>(`SELECT id FROM dispositions WHERE account_id = $1 ORDER BY position`, [DEMO_ACCOUNT_ID]);

    const contacts: { id: string; phone: string; location: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const blocked = i === 49;
      const phone = blocked ? DEMO_BLOCKED_CALLER : `+1310555${String(2000 + i * 7).padStart(4, '0')}`;
      const location = i % 3 === 0 ? DEMO_LOCATIONS.santaMonica.id : DEMO_LOCATIONS.beverlyHills.id;
      const dnd = noDnd();
      if (blocked) for (const channel of Object.values(dnd)) channel.inbound = true;
      const contact = await createContact(uow, null, {
        name: blocked ? 'Repeat Spam Caller' : `${pick(FIRST)} ${pick(LAST)}`,
        phone,
        email: blocked ? null : `patient${i + 1}@example.com`,
        tags: blocked ? ['spam'] : [pick(TAGS), ...(random() < 0.4 ? [pick(TAGS)] : [])],
        locationId: location,
        assignedUserId: i % 5 === 0 ? (location === DEMO_LOCATIONS.santaMonica.id ? DEMO_USERS.receptionist2.id : DEMO_USERS.receptionist.id) : null,
        dnd,
      });
      contacts.push({ id: contact.id, phone, location });
    }

    // Two weeks of call history.
    for (let i = 0; i < 40; i++) {
      const contact = contacts[Math.floor(random() * 49)]!;
      const inbound = random() < 0.7;
      const sm = contact.location === DEMO_LOCATIONS.santaMonica.id;
      const number = sm ? DEMO_NUMBERS.santaMonicaMain : DEMO_NUMBERS.beverlyHillsMain;
      const user = sm ? DEMO_USERS.receptionist2.id : DEMO_USERS.receptionist.id;
      const missed = inbound && random() < 0.15;
      const started = new Date(now.getTime() - Math.floor(random() * 14 * 86_400_000));
      const duration = missed ? null : 30 + Math.floor(random() * 600);
      const disposition = missed || random() < 0.25 ? null : pick(dispositions).id;
      const id = `call_demo_${String(i).padStart(3, '0')}`;
      await q.query(
        `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, contact_id,
                            rang_user_ids, status, started_at, answered_at, ended_at, duration_seconds, disposition_id, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16, $17, $18)`,
        [id, DEMO_ACCOUNT_ID, contact.location, `CAdemo${String(i).padStart(26, '0')}`, inbound ? 'inbound' : 'outbound',
          inbound ? contact.phone : number.number, inbound ? number.number : contact.phone, number.id, missed ? null : user, contact.id,
          JSON.stringify(inbound ? [user] : []), missed ? 'missed' : 'completed', started.toISOString(),
          missed ? null : new Date(started.getTime() + 8000).toISOString(),
          new Date(started.getTime() + 8000 + (duration ?? 12) * 1000).toISOString(), duration, disposition,
          disposition && random() < 0.3 ? 'Prefers afternoon appointments' : null],
      );
      uow.touch('calls', id);
      if (missed) {
        await createNotification(uow, { userId: user, title: 'Missed call', message: `Missed call from ${contact.phone} on ${number.name}`, redirect: `call:${id}`, dedupeKey: `missed-call:${id}` });
      }
    }
    for (const link of Object.values(DEMO_TRIGGER_LINKS)) {
      await q.query(`INSERT INTO trigger_links (id, account_id, name, key, url, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [link.id, DEMO_ACCOUNT_ID, link.name, link.key, link.url, DEMO_USERS.admin.id]);
    }
    for (const template of DEMO_SMS_TEMPLATES) {
      await q.query(`INSERT INTO message_templates (id, account_id, channel, name, body, created_by, updated_by) VALUES ($1, $2, 'sms', $3, $4, $5, $5)`,
        [template.id, DEMO_ACCOUNT_ID, template.name, template.body, DEMO_USERS.admin.id]);
    }
    await uow.audit(null, 'account.seed', 'account', DEMO_ACCOUNT_ID, { demo: true });
  });
  return result;
}
