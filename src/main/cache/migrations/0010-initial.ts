import type { Migration } from './types';

/**
 * The synced entities. Columns mirror the wire shapes in src/shared/cloud/entities.ts; arrays and
 * nested objects are JSON text. Calls and notifications keep the cloud's last value (`server_*`) next
 * to the effective one, so an unsent local change survives a pull and is undone if the cloud refuses it.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE locations (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        timezone TEXT NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        member_ids TEXT NOT NULL CHECK (json_valid(member_ids)),
        seq INTEGER NOT NULL
      ) STRICT;

      -- Deleted users are kept (deleted_at set): call history still names who took a call.
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        email TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
        phone TEXT,
        location_ids TEXT NOT NULL CHECK (json_valid(location_ids)),
        team_ids TEXT NOT NULL CHECK (json_valid(team_ids)),
        inbound_number_id TEXT,
        twilio_identity TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted_at TEXT
      ) STRICT;

      -- Deleted dispositions are kept (deleted_at set): they still label the calls that used them.
      CREATE TABLE dispositions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        label TEXT NOT NULL,
        position INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX dispositions_active ON dispositions (position, id) WHERE deleted_at IS NULL;

      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        location_id TEXT,
        name TEXT NOT NULL,
        phone TEXT,
        email TEXT,
        tags TEXT NOT NULL CHECK (json_valid(tags)),
        assigned_user_id TEXT,
        dnd TEXT NOT NULL CHECK (json_valid(dnd)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;

      CREATE TABLE phone_numbers (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        location_id TEXT,
        number TEXT NOT NULL,
        name TEXT NOT NULL,
        forwarding_number TEXT,
        caller_id_mode TEXT NOT NULL CHECK (caller_id_mode IN ('caller', 'number')),
        call_connect INTEGER NOT NULL CHECK (call_connect IN (0, 1)),
        whisper_message TEXT,
        record_calls INTEGER NOT NULL CHECK (record_calls IN (0, 1)),
        ring_timeout_seconds INTEGER NOT NULL,
        inbound_routing TEXT NOT NULL,
        assigned_user_id TEXT,
        ring_all_user_ids TEXT NOT NULL CHECK (json_valid(ring_all_user_ids)),
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX phone_numbers_number ON phone_numbers (number);

      -- sort_key: start second << 21 | hash(id) & 0x1fffff, unique; history and search order by it.
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        location_id TEXT,
        twilio_call_sid TEXT,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        from_number TEXT NOT NULL,
        to_number TEXT NOT NULL,
        remote_number TEXT NOT NULL,
        phone_number_id TEXT,
        user_id TEXT,
        contact_id TEXT,
        rang_user_ids TEXT NOT NULL CHECK (json_valid(rang_user_ids)),
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        answered_at TEXT,
        ended_at TEXT,
        duration_seconds INTEGER,
        recordings TEXT NOT NULL CHECK (json_valid(recordings)),
        disposition_id TEXT,
        note TEXT,
        server_disposition_id TEXT,
        server_note TEXT,
        seq INTEGER NOT NULL,
        sort_key INTEGER NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX calls_contact ON calls (contact_id, sort_key) WHERE contact_id IS NOT NULL;
      CREATE INDEX calls_remote ON calls (remote_number, sort_key);
      CREATE INDEX calls_disposition ON calls (disposition_id, sort_key);
      CREATE INDEX calls_user ON calls (user_id, sort_key);
      CREATE INDEX calls_sid ON calls (twilio_call_sid) WHERE twilio_call_sid IS NOT NULL;

      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        title TEXT NOT NULL,
        message TEXT NOT NULL,
        redirect TEXT,
        read_at TEXT,
        server_read_at TEXT,
        created_at TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX notifications_recent ON notifications (created_ms, id);
      CREATE INDEX notifications_unread ON notifications (created_ms) WHERE read_at IS NULL;

      -- The pull cursor and other sync bookkeeping, one row per key.
      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value ANY
      ) STRICT;

      -- The signed-in user as sign-in returned them; one row at most.
      CREATE TABLE session (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        user_id TEXT NOT NULL,
        user_json TEXT NOT NULL CHECK (json_valid(user_json)),
        signed_in_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
