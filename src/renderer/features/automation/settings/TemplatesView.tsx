import { useId, useState, type FormEvent } from 'react';
import { SMS_TEMPLATE_MAX, type MessageTemplate, type TemplateChannel } from '../../../../shared/cloud/templates';
import { ErrorAlert } from '../../../ui/ErrorAlert';
import { ConfirmDialog } from './ConfirmDialog';
import { loadOptions } from '../automation-actions';
import { useAutomation } from '../automation-store';
import { SaveCancel, TextField } from '../fields';
import { getBridge } from '../../../bridge';
import { TemplateUsageNote } from './TemplateUsageNote';
import { TableScroll } from '../../../ui/TableScroll';
import { useLoaded } from './use-loaded';

/** An editor's working copy: a new template (no id) or an edit of one (its version guards against overwriting). */
interface Draft {
  id: string | null;
  version: number | null;
  channel: TemplateChannel;
  name: string;
  subject: string;
  body: string;
}

const blank = (channel: TemplateChannel): Draft => ({ id: null, version: null, channel, name: '', subject: '', body: '' });
const channelLabel = { email: 'Email', sms: 'SMS' } as const;

function TemplateEditor(props: { draft: Draft; onDone: (saved: MessageTemplate | null) => void }) {
  const [draft, setDraft] = useState(props.draft);
  const [errors, setErrors] = useState<{ name?: string; body?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const sms = draft.channel === 'sms';
  // An SMS template fills a Send SMS / Manual SMS message: it may carry the practice's trigger links.
  const options = useAutomation((s) => s.options);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!draft.name.trim()) found.name = 'Give the template a name.';
    if (!draft.body.trim()) found.body = 'Write the message.';
    else if (sms && draft.body.length > SMS_TEMPLATE_MAX) found.body = `An SMS template holds at most ${SMS_TEMPLATE_MAX} characters (10 segments).`;
    setErrors(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    const bridge = getBridge().workflowSettings;
    const result = draft.id
      ? await bridge.updateTemplate({ templateId: draft.id, name: draft.name, ...(sms ? {} : { subject: draft.subject }), body: draft.body, expectedVersion: draft.version ?? undefined })
      : await bridge.createTemplate(sms ? { channel: 'sms', name: draft.name, body: draft.body } : { channel: 'email', name: draft.name, subject: draft.subject, body: draft.body });
    setSaving(false);
    if (!result.ok) {
      setFailure(result.error.code === 'CONFLICT' ? 'Someone else saved this template meanwhile: nothing was overwritten. Close, reopen it and make your edit again.' : result.error.message);
      return;
    }
    props.onDone(result.value);
  };

  return (
    <form className="settings-card ws-editor" aria-labelledby={headingId} onSubmit={(e) => void submit(e)} noValidate>
      <h3 id={headingId}>{draft.id ? `Edit ${channelLabel[draft.channel]} template` : `New ${channelLabel[draft.channel]} template`}</h3>
      <ErrorAlert message={failure} />
      {draft.id ? <TemplateUsageNote templateId={draft.id} action="edit" /> : null}
      <TextField label="Template name" value={draft.name} onChange={(name) => set({ name })} error={errors.name} required />
      {sms ? null : <TextField label="Subject" value={draft.subject} onChange={(subject) => set({ subject })} merge={{ trigger: 'any' }} />}
      <TextField
        label={sms ? 'Message' : 'Email body'} value={draft.body} onChange={(body) => set({ body })} error={errors.body} multiline required
        merge={{ trigger: 'any', ...(sms ? { triggerLinks: options ? options.triggerLinks : null } : {}) }}
        hint={sms ? `${draft.body.length} / ${SMS_TEMPLATE_MAX} characters` : 'HTML or plain text. Steps with "Sync Edits to Template" on take every edit saved here into their workflow’s draft; it is sent once the workflow is published again.'}
      />
      <SaveCancel saveLabel="Save template" saving={saving} onCancel={() => props.onDone(null)} />
    </form>
  );
}

function DeleteTemplateDialog(props: { template: MessageTemplate; onClose: (deleted: boolean) => void }) {
  const remove = async () => {
    const result = await getBridge().workflowSettings.deleteTemplate({ templateId: props.template.id });
    return result.ok ? null : result.error.message;
  };
  return (
    <ConfirmDialog title={`Delete the template ${props.template.name}?`} confirmLabel="Delete template" onConfirm={remove} onClose={props.onClose}>
      <TemplateUsageNote templateId={props.template.id} action="delete" />
    </ConfirmDialog>
  );
}

/** Settings → Templates: the saved email and SMS templates the Send Email / SMS panels offer. */
export function TemplatesView() {
  const { value: templates, failure: error, reload } = useLoaded(() => getBridge().workflowSettings.templates());
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState<MessageTemplate | null>(null);

  const changed = async (message: string) => {
    setStatus(message);
    await reload();
    await loadOptions(); // the action panels' template pickers
  };

  return (
    <section className="ws-page" aria-labelledby="ws-templates-title">
      <h2 id="ws-templates-title">Templates</h2>
      <p className="muted">Saved emails and text messages. Choosing one in a Send Email, Send SMS or Manual SMS step fills the step's message.</p>
      <ErrorAlert message={error} />
      <p className="automation-message" role="status" aria-live="polite">
        {status}
      </p>
      {editing ? (
        <TemplateEditor
          key={editing.id ?? `new-${editing.channel}`} draft={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void changed(`Saved the template ${saved.name}.`);
          }}
        />
      ) : (
        <div className="automation-row">
          <button type="button" onClick={() => setEditing(blank('email'))}>
            + New email template
          </button>
          <button type="button" onClick={() => setEditing(blank('sms'))}>
            + New SMS template
          </button>
        </div>
      )}
      {templates === null ? (
        error ? null : <p>Loading templates…</p>
      ) : templates.length === 0 ? (
        <p>No templates yet.</p>
      ) : (
        <TableScroll label="Saved templates">
          <table className="automation-table">
            <caption className="sr-only">Saved templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Channel</th>
                <th scope="col">Subject or text</th>
                <th scope="col">Last edited</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{channelLabel[t.channel]}</td>
                  <td className="ws-preview">{t.channel === 'email' ? t.subject || '(no subject)' : t.body.slice(0, 80)}</td>
                  <td>{new Date(t.updatedAt).toLocaleString()}</td>
                  <td>
                    <div className="automation-row">
                      <button type="button" aria-label={`Edit ${t.name}`} onClick={() => setEditing({ id: t.id, version: t.version, channel: t.channel, name: t.name, subject: t.subject, body: t.body })}>
                        Edit
                      </button>
                      <button type="button" aria-label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {deleting ? (
        <DeleteTemplateDialog
          template={deleting}
          onClose={(deleted) => {
            const name = deleting.name;
            setDeleting(null);
            if (deleted) void changed(`Deleted the template ${name}.`);
          }}
        />
      ) : null}
    </section>
  );
}
