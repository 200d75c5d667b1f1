// A realistic med-spa workspace: the people of a practice, its channels (public, private, one
// archived) and who is in them — and, on request, thousands more members and channels so a
// "Load More" list has to page. Ids are derived from a seed, so a restarted stand-in keeps them.
import { createHash } from 'node:crypto';
import { member, Workspace, type SlackConversation, type SlackUser } from './workspace';

export interface SeedOptions {
  /** Changes every id; the same seed gives the same workspace. Default 'glow-med-spa'. */
  seed?: string;
  teamName?: string;
  domain?: string;
  /** Extra generated members and public channels (e.g. 1500 / 1200 for a large workspace). */
  extraUsers?: number;
  extraChannels?: number;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function seededId(seed: string, prefix: string, key: string): string {
  const digest = createHash('sha256').update(`${seed}:${prefix}:${key}`).digest();
  return prefix + [...digest.subarray(0, 10)].map((b) => ID_CHARS[b % ID_CHARS.length]).join('');
}

interface PersonSeed {
  handle: string;
  /** The e-mail's local part, when it is not the handle. */
  email?: string;
  realName: string;
  title: string;
  admin?: boolean;
  owner?: boolean;
  primaryOwner?: boolean;
  guest?: boolean;
  deleted?: boolean;
}

// The first three are the cloud's demo users (src/cloud/seed.ts), by e-mail, so "Assigned User →
// the Slack member with the same e-mail" works in the embedded default.
const PEOPLE: PersonSeed[] = [
  { handle: 'maya.chen', email: 'admin', realName: 'Dr. Maya Chen', title: 'Medical Director & Owner', admin: true, owner: true, primaryOwner: true },
  { handle: 'jordan', realName: 'Jordan Lee', title: 'Receptionist' },
  { handle: 'avery', realName: 'Avery Patel', title: 'Receptionist' },
  { handle: 'dana', realName: 'Dana Whitfield', title: 'Practice Manager', admin: true },
  { handle: 'priya', realName: 'Priya Raman', title: 'Front Desk Lead' },
  { handle: 'jasmine.rn', email: 'jasmine', realName: 'Jasmine Brooks, RN', title: 'Nurse Injector' },
  { handle: 'taylor', realName: 'Taylor Nguyen', title: 'Licensed Esthetician' },
  { handle: 'noah', realName: 'Noah Patel', title: 'Laser Technician' },
  { handle: 'chris', realName: 'Chris Park', title: 'Marketing Coordinator' },
  { handle: 'morgan', realName: 'Morgan Reyes', title: 'Billing Specialist' },
  { handle: 'alex.contractor', email: 'alex', realName: 'Alex Kim', title: 'Website Contractor', guest: true },
  { handle: 'sam.ortiz', email: 'sam', realName: 'Sam Ortiz', title: 'Former Receptionist', deleted: true },
];

const CHANNELS: Array<{ name: string; purpose: string; private?: boolean; archived?: boolean; general?: boolean; members: string[] | 'all' }> = [
  { name: 'general', purpose: 'Practice-wide announcements and chatter', general: true, members: 'all' },
  { name: 'front-desk', purpose: 'Front desk coordination: schedule changes, walk-ins, callbacks', members: ['maya.chen', 'dana', 'priya', 'jordan', 'avery'] },
  { name: 'new-leads', purpose: 'New and high-priority leads from the website and phones', members: ['maya.chen', 'dana', 'priya', 'jordan', 'avery', 'chris'] },
  { name: 'beverly-hills', purpose: 'Beverly Hills location', members: ['maya.chen', 'dana', 'jordan', 'jasmine.rn', 'taylor'] },
  { name: 'santa-monica', purpose: 'Santa Monica location', members: ['maya.chen', 'dana', 'avery', 'noah'] },
  { name: 'providers', purpose: 'Clinical team: injectors, estheticians, laser', members: ['maya.chen', 'dana', 'jasmine.rn', 'taylor', 'noah'] },
  { name: 'marketing', purpose: 'Campaigns, promos and reviews', members: ['maya.chen', 'chris', 'alex.contractor'] },
  { name: 'random', purpose: 'Everything else', members: 'all' },
  { name: 'holiday-party-2023', purpose: 'Planning the holiday party', archived: true, members: ['dana', 'priya', 'chris'] },
  { name: 'management', purpose: 'Owners and leads only', private: true, members: ['maya.chen', 'dana', 'priya'] },
  { name: 'clinical-escalations', purpose: 'Adverse reactions and urgent clinical questions', private: true, members: ['maya.chen', 'jasmine.rn'] },
  { name: 'billing', purpose: 'Refunds, packages and memberships', private: true, members: ['maya.chen', 'dana', 'morgan'] },
];

const FIRST = ['Avery', 'Blake', 'Camila', 'Devon', 'Emery', 'Farah', 'Gianna', 'Hugo', 'Isla', 'Jonah', 'Kiara', 'Liam', 'Maya', 'Nico', 'Olivia', 'Parker', 'Quinn', 'Rosa', 'Sam', 'Talia', 'Uma', 'Victor', 'Wren', 'Ximena', 'Yusuf', 'Zoe'];
const LAST = ['Adams', 'Bennett', 'Castillo', 'Diaz', 'Ellis', 'Foster', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lopez', 'Murphy', 'Nakamura', 'Owens', 'Price', 'Quinn', 'Rivera', 'Singh', 'Turner', 'Underwood', 'Vasquez', 'Ward', 'Young', 'Zimmerman'];
const COLORS = ['9f69e7', '4bbe2e', 'e7392d', '3c989f', 'e96699', 'd58247', '5b89d5', '235e5b'];
const TEAMS = ['location', 'team', 'project', 'training', 'vendor', 'campaign'];

export interface SeededWorkspace {
  workspace: Workspace;
  /** The member who installs apps by default (the primary owner). */
  installerId: string;
}

export function seedWorkspace(options: SeedOptions = {}): SeededWorkspace {
  const seed = options.seed ?? 'glow-med-spa';
  const domain = options.domain ?? 'glow-med-spa';
  const ws = new Workspace({ id: seededId(seed, 'T', 'team'), name: options.teamName ?? 'Glow Med Spa', domain });
  const created = 1_600_000_000;
  const byHandle = new Map<string, SlackUser>();
  const person = (p: PersonSeed, i: number): SlackUser =>
    member({
      id: seededId(seed, 'U', p.handle),
      name: p.handle,
      realName: p.realName,
      email: `${p.email ?? p.handle}@${domain.replace(/-/g, '')}.example`,
      title: p.title,
      isAdmin: p.admin ?? false,
      isOwner: p.owner ?? false,
      isPrimaryOwner: p.primaryOwner ?? false,
      isRestricted: p.guest ?? false,
      deleted: p.deleted ?? false,
      updated: created + i,
      color: COLORS[i % COLORS.length]!,
    });
  PEOPLE.forEach((p, i) => byHandle.set(p.handle, ws.addUser(person(p, i))));
  ws.addUser(member({ id: 'USLACKBOT', name: 'slackbot', realName: 'Slackbot', tz: 'America/Los_Angeles', updated: created, color: '757575' }));
  for (let i = 0; i < (options.extraUsers ?? 0); i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const handle = `${first}.${last}.${String(i + 1).padStart(4, '0')}`.toLowerCase();
    const u = person({ handle, realName: `${first} ${last}`, title: 'Staff' }, PEOPLE.length + i);
    byHandle.set(handle, ws.addUser(u));
  }
  const active = [...byHandle.values()].filter((u) => !u.deleted);
  const owner = byHandle.get('maya.chen')!;
  for (const c of CHANNELS) {
    const members = c.members === 'all' ? active.map((u) => u.id) : c.members.map((h) => byHandle.get(h)!.id);
    ws.addConversation(conversation(seededId(seed, 'C', c.name), c.name, c.purpose, owner.id, members, created, { isPrivate: c.private ?? false, isArchived: c.archived ?? false, isGeneral: c.general ?? false }));
  }
  for (let i = 0; i < (options.extraChannels ?? 0); i++) {
    const name = `${TEAMS[i % TEAMS.length]}-${String(i + 1).padStart(4, '0')}`;
    ws.addConversation(conversation(seededId(seed, 'C', name), name, `Generated channel ${i + 1}`, owner.id, [owner.id], created + i, { isPrivate: false, isArchived: false, isGeneral: false }));
  }
  return { workspace: ws, installerId: owner.id };
}

function conversation(id: string, name: string, purpose: string, creator: string, members: string[], created: number, flags: Pick<SlackConversation, 'isPrivate' | 'isArchived' | 'isGeneral'>): SlackConversation {
  return { id, kind: 'channel', name, purpose, topic: '', creator, created, members: new Set(members), ...flags };
}
