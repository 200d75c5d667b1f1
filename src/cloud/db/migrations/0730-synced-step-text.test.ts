import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, migrateTo, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

const email = (id: string, templateId: string | null, sync: boolean, subject = 'Own subject') => ({
  id, name: id, type: 'send_email',
  config: { fromName: 'Glow', fromEmail: 'desk@glow.test', subject, body: '<p>Own copy</p>', templateId, syncTemplateEdits: sync, attachments: [], cc: [], bcc: [] },
});
const document = (steps: unknown[]) => ({ trigger: { type: 'manual', filters: {} }, steps, settings: { stopOnResponse: false, allowReentry: false } });
const tree = () =>
  document([
    email('synced', 'tpl_live', true),
    email('blank_subject', 'tpl_blank', true),
    email('own', 'tpl_live', false),
    email('gone', 'tpl_gone', true),
    { id: 'branch', name: 'Has email?', type: 'if_else', branches: [{ id: 'yes', name: 'Yes', conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_not_empty' }] }, steps: [email('nested', 'tpl_live', true)] }], elseSteps: [email('else', 'tpl_live', true)] },
  ]);

type Doc = ReturnType<typeof tree>;
type EmailStep = ReturnType<typeof email>;
const byId = (doc: Doc): Record<string, EmailStep['config']> => {
  const out: Record<string, EmailStep['config']> = {};
  const walk = (steps: unknown[]) => {
    for (const s of steps as Array<EmailStep & { branches?: { steps: unknown[] }[]; elseSteps?: unknown[] }>) {
      if (s.type === 'send_email') out[s.id] = s.config;
      for (const b of s.branches ?? []) walk(b.steps);
      walk(s.elseSteps ?? []);
    }
  };
  walk(doc.steps);
  return out;
};

describe.each(backends)('migration 0730 synced step text on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, 720);
    try {
      expect(await migrateTo(db, 730)).toBe(730);
    } finally {
      await db.close();
    }
  }, SLOW);

  it('gives synced Send Email steps (drafts and every version, branches too) the template text they were sending; others keep their own', async () => {
    const db = await databaseAt(backend, 720);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other spa')`);
      await db.exec(`
        INSERT INTO message_templates (id, account_id, channel, name, subject, body, deleted_at) VALUES
          ('tpl_live', 'acc_1', 'email', 'Welcome', 'Welcome, {{contact.first_name}}', '<p>Template text</p>', NULL),
          ('tpl_blank', 'acc_1', 'email', 'No subject', '', '<p>Blank-subject template</p>', NULL),
          ('tpl_gone', 'acc_1', 'email', 'Gone', 'Gone', '<p>Deleted template</p>', now())`);
      await db.query(`INSERT INTO workflows (id, account_id, name, draft) VALUES ('wf_1', 'acc_1', 'Welcome', $1::jsonb), ('wf_2', 'acc_2', 'Theirs', $2::jsonb)`, [
        JSON.stringify(tree()), JSON.stringify(document([email('synced', 'tpl_live', true)])),
      ]);
      await db.query(`INSERT INTO workflow_versions (workflow_id, version, document) VALUES ('wf_1', 1, $1::jsonb), ('wf_1', 2, $1::jsonb)`, [JSON.stringify(tree())]);

      expect(await migrateTo(db, 730)).toBe(730);

      const drafts = await db.query<{ id: string; draft: Doc }>(`SELECT id, draft FROM workflows ORDER BY id`);
      const versions = await db.query<{ document: Doc }>(`SELECT document FROM workflow_versions ORDER BY version`);
      for (const doc of [drafts[0]!.draft, ...versions.map((v) => v.document)]) {
        const steps = byId(doc);
        for (const id of ['synced', 'nested', 'else']) expect(steps[id], id).toMatchObject({ subject: 'Welcome, {{contact.first_name}}', body: '<p>Template text</p>' });
        expect(steps.blank_subject).toMatchObject({ subject: 'Own subject', body: '<p>Blank-subject template</p>' });
        expect(steps.own).toMatchObject({ subject: 'Own subject', body: '<p>Own copy</p>' });
        expect(steps.gone).toMatchObject({ subject: 'Own subject', body: '<p>Own copy</p>' });
        // Everything else in the document is as it was.
        expect({ ...doc, steps: [] }).toEqual({ ...tree(), steps: [] });
        const ids = (d: Doc) => (d.steps as Array<{ id: string }>).map((s) => s.id);
        expect(ids(doc)).toEqual(ids(tree()));
      }
      // Another practice's step naming this practice's template id is not given its text.
      expect(byId(drafts[1]!.draft).synced).toMatchObject({ body: '<p>Own copy</p>' });
    } finally {
      await db.close();
    }
  }, SLOW);
});
