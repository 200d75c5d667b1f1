import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { triggerLinkField } from '../../../../shared/cloud/trigger-link-fields';
import { triggerLinkUrlProblem } from '../../../../shared/cloud/trigger-link-url';
import { TRIGGER_LINK_NAME_MAX, type TriggerLink } from '../../../../shared/cloud/trigger-links';
import { ErrorAlert } from '../../../ui/ErrorAlert';
import { TableScroll } from '../../../ui/TableScroll';
import { SaveCancel, TextField } from '../fields';
import { ConfirmDialog } from './ConfirmDialog';
import { describeUsage } from './TemplateUsageNote';
import { createTriggerLink, deleteTriggerLink, readTriggerLinkClicks, readTriggerLinks, readTriggerLinkUsage, updateTriggerLink } from './trigger-links-actions';
import { useLoaded } from './use-loaded';
import { focusNextFrame } from '../../../lib/focus-next-frame';

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : 'Never');
const tag = (link: Pick<TriggerLink, 'key'>): string => `{{${triggerLinkField(link.key)}}}`;

interface Draft {
  id: string | null;
  name: string;
  url: string;
}

/** New or edited: name and destination, each refused at its field with the reason (the cloud checks the same). */
function LinkEditor(props: { draft: Draft; onDone: (saved: TriggerLink | null) => void }) {
  const [draft, setDraft] = useState(props.draft);
  const [errors, setErrors] = useState<{ name?: string; url?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!draft.name.trim()) found.name = 'Give the link a name, such as “Book a consultation”.';
    else if (draft.name.trim().length > TRIGGER_LINK_NAME_MAX) found.name = `A name is at most ${TRIGGER_LINK_NAME_MAX} characters.`;
    const urlProblem = triggerLinkUrlProblem(draft.url);
    if (urlProblem) found.url = urlProblem;
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) {
      focusNextFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]'));
      return;
    }
    setSaving(true);
    const input = { name: draft.name.trim(), url: draft.url.trim() };
    const result = draft.id ? await updateTriggerLink(draft.id, input) : await createTriggerLink(input);
    setSaving(false);
    if (result.ok) return props.onDone(result.value);
    // The cloud names the field it refused (a name in use, a link it will not send patients to).
    if (result.error.code === 'CONFLICT' && /named/.test(result.error.message)) setErrors({ name: result.error.message });
    else if ((result.error.code === 'VALIDATION_FAILED' || result.error.code === 'BAD_INPUT') && /\burl\b/.test(result.error.message)) setErrors({ url: result.error.message.replace(/^.*\burl:\s*/, '') });
    else setFailure(result.error.message);
  };

  return (
    <form ref={form} className="settings-card ws-editor" aria-labelledby={headingId} onSubmit={(e) => void submit(e)} noValidate>
      <h3 id={headingId}>{draft.id ? `Edit the trigger link ${props.draft.name}` : 'New trigger link'}</h3>
      <ErrorAlert message={failure} />
      <TextField label="Name" value={draft.name} onChange={(name) => setDraft({ ...draft, name })} error={errors.name} required hint="What admins see in the tag icon’s list. Renaming keeps every message that uses the link working." />
      <TextField
        label="Destination link" type="url" value={draft.url} onChange={(url) => setDraft({ ...draft, url })} error={errors.url} required placeholder="https://"
        hint={draft.id ? 'A new destination also changes where the links already sent lead.' : 'The https:// page patients reach: a booking calendar, a form…'}
      />
      <SaveCancel saveLabel="Save trigger link" saving={saving} onCancel={() => props.onDone(null)} />
    </form>
  );
}

/** Before a delete: which steps name the link (they would fail), and that texts already sent keep working. */
function DeleteLinkDialog(props: { link: TriggerLink; onClose: (deleted: boolean) => void }) {
  const { value: usage, failure: usageFailure } = useLoaded(() => readTriggerLinkUsage(props.link.id), props.link.id);
  const remove = async () => {
    const result = await deleteTriggerLink(props.link.id);
    return result.ok ? null : result.error.message;
  };
  const used = usage ? describeUsage(usage) : null;
  return (
    <ConfirmDialog title={`Delete the trigger link ${props.link.name}?`} confirmLabel="Delete trigger link" onConfirm={remove} onClose={props.onClose}>
      <p>
        Texts already sent keep working: their links still lead to {props.link.url}. It is no longer offered in messages, and a step naming {tag(props.link)} can no longer be saved or sent.
      </p>
      {usageFailure ? <p className="field-warning">Could not check which workflow steps use this link: {usageFailure}</p> : null}
      {!usage && !usageFailure ? <p className="muted">Checking which workflow steps use this link…</p> : null}
      {usage && !used ? <p className="muted">No workflow step uses this link.</p> : null}
      {used ? (
        <p className="field-warning" role="note">
          {used} Those steps will fail, sending nothing, until another link is chosen and the workflow is published again.
        </p>
      ) : null}
    </ConfirmDialog>
  );
}

/** Who clicked: per contact, their clicks and first / last click. */
function ClicksPanel(props: { link: TriggerLink; onClose: () => void }) {
  const { value: clicks, failure } = useLoaded(() => readTriggerLinkClicks(props.link.id), props.link.id);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="settings-card" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        Who clicked {props.link.name}
      </h3>
      <ErrorAlert message={failure} />
      {!clicks && !failure ? <p className="muted">Loading the clicks…</p> : null}
      {clicks?.contacts.length === 0 ? <p>Nobody has clicked this link yet.</p> : null}
      {clicks && clicks.contacts.length > 0 ? (
        <ul className="ws-list">
          {clicks.contacts.map((c) => (
            <li key={c.contactId ?? 'none'}>
              <strong>{c.contactName ?? 'A deleted contact'}</strong>
              <span>
                {c.clicks} {c.clicks === 1 ? 'click' : 'clicks'}, first {when(c.firstClickedAt)}, last {when(c.lastClickedAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" onClick={props.onClose}>
        Close the clicks
      </button>
    </section>
  );
}

/**
 * The merge field to paste into a message, and a Copy button. Copying needs the system's
 * permission; when it is refused the field is selected instead, for Ctrl+C (⌘C), and the screen
 * says so — never a "Copied" that did not happen.
 */
function CopyField(props: { link: TriggerLink; onCopied: (message: string) => void }) {
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(tag(props.link));
      props.onCopied(`Copied ${tag(props.link)}: paste it into a Send SMS or Manual SMS message.`);
    } catch {
      field.current?.focus();
      field.current?.select();
      props.onCopied(`Copying was not allowed here: ${tag(props.link)} is selected, press Ctrl+C (⌘C on a Mac) to copy it.`);
    }
  };
  return (
    <div className="automation-row">
      <input ref={field} className="cv-field tl-field" readOnly value={tag(props.link)} aria-label={`Merge field of ${props.link.name}`} onFocus={(e) => e.currentTarget.select()} size={tag(props.link).length} />
      <button type="button" aria-label={`Copy the merge field of ${props.link.name}`} onClick={() => void copy()}>
        Copy
      </button>
    </div>
  );
}

/**
 * Automation → Trigger links: the practice's named links (a booking calendar, a form) that Send SMS
 * and Manual SMS messages carry through the tag icon. Each contact gets a short tracked link of
 * their own, so the list shows how often each was sent and clicked, and who clicked.
 */
export function TriggerLinksView() {
  const { value: links, failure: error, reload } = useLoaded(readTriggerLinks);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState<TriggerLink | null>(null);
  const [showingClicks, setShowingClicks] = useState<TriggerLink | null>(null);
  const clicksOpener = useRef<HTMLButtonElement | null>(null);

  const changed = async (message: string) => {
    setStatus(message);
    await reload();
  };

  return (
    <section className="ws-page" aria-labelledby="ws-trigger-links-title">
      <h2 id="ws-trigger-links-title">Trigger links</h2>
      <p className="muted">
        Links to your booking calendar, forms and other pages. Put one in a Send SMS or Manual SMS message with the tag icon: each contact gets a short link of their own, so you can see who clicked. Links already sent keep working after you edit or delete a link here.
      </p>
      <ErrorAlert message={error} />
      <p className="automation-message" role="status" aria-live="polite">
        {status}
      </p>
      {editing ? (
        <LinkEditor
          key={editing.id ?? 'new'} draft={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void changed(`Saved the trigger link ${saved.name}: use it as ${tag(saved)}.`);
          }}
        />
      ) : (
        <div className="automation-row">
          <button type="button" onClick={() => setEditing({ id: null, name: '', url: '' })}>
            + New trigger link
          </button>
        </div>
      )}
      {links === null ? (
        error ? null : <p>Loading trigger links…</p>
      ) : links.length === 0 ? (
        <p>No trigger links yet.</p>
      ) : (
        <TableScroll label="Trigger links">
          <table className="automation-table">
            <caption className="sr-only">Trigger links</caption>
            <thead>
              <tr>
                <th scope="col">Name and merge field</th>
                <th scope="col">Destination</th>
                <th scope="col">Sent</th>
                <th scope="col">Clicks</th>
                <th scope="col">Last click</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.map((link) => (
                <tr key={link.id}>
                  <th scope="row">
                    <div>{link.name}</div>
                    <CopyField link={link} onCopied={setStatus} />
                  </th>
                  <td className="ws-preview">{link.url}</td>
                  <td>{link.sent}</td>
                  <td>
                    {link.clicks} ({link.contactsClicked} {link.contactsClicked === 1 ? 'contact' : 'contacts'})
                  </td>
                  <td>{when(link.lastClickedAt)}</td>
                  <td>
                    <div className="automation-row">
                      <button
                        type="button" aria-label={`Who clicked ${link.name}`} aria-expanded={showingClicks?.id === link.id}
                        onClick={(e) => {
                          clicksOpener.current = e.currentTarget;
                          setShowingClicks(showingClicks?.id === link.id ? null : link);
                        }}
                      >
                        Who clicked
                      </button>
                      <button type="button" aria-label={`Edit ${link.name}`} onClick={() => setEditing({ id: link.id, name: link.name, url: link.url })}>
                        Edit
                      </button>
                      <button type="button" aria-label={`Delete ${link.name}`} onClick={() => setDeleting(link)}>
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
      {showingClicks ? (
        <ClicksPanel
          key={showingClicks.id} link={showingClicks}
          onClose={() => {
            setShowingClicks(null);
            clicksOpener.current?.focus();
          }}
        />
      ) : null}
      {deleting ? (
        <DeleteLinkDialog
          link={deleting}
          onClose={(deleted) => {
            const name = deleting.name;
            setDeleting(null);
            if (deleted) void changed(`Deleted the trigger link ${name}. Texts already sent keep working.`);
          }}
        />
      ) : null}
    </section>
  );
}
