import { useEffect, useId, useState } from 'react';
import { aiWriteTones, type AiWriteResult, type AiWriteTone } from '../../../shared/cloud/ai-write';
import { getBridge } from '../../bridge';
import { ModalDialog } from '../../ui/ModalDialog';
import { CheckField, SelectField, TextField } from './fields';
import { mergeFieldGroups, type MergeScope } from './merge-fields';

/**
 * Write with AI in the Send Email / SMS panels: describe the message, pick a tone, Generate; refine
 * with a follow-up; Use Email / Use Text puts the draft in the panel's fields, where the admin edits
 * it. The draft comes from the cloud's configured AI service; with none, the button is disabled and
 * says why — never canned text.
 */
export function WriteWithAi(props: {
  channel: 'email' | 'sms';
  trigger: MergeScope;
  onUse: (draft: { subject: string | null; body: string }) => void;
}) {
  const [status, setStatus] = useState<{ available: boolean; reason: string | null } | null>(null);
  const [open, setOpen] = useState(false);
  const reasonId = useId();
  useEffect(() => {
    let live = true;
    void getBridge().automation.aiWriteStatus().then((r) => {
      if (live) setStatus(r.ok ? r.value : { available: false, reason: `Write with AI cannot be checked right now: ${r.error.message}` });
    });
    return () => void (live = false);
  }, []);
  const available = status?.available === true;
  return (
    <div className="field write-with-ai">
      <button type="button" disabled={!available} aria-describedby={!available && status?.reason ? reasonId : undefined} onClick={() => setOpen(true)}>
        Write with AI
      </button>
      {!available && status?.reason ? (
        <span id={reasonId} className="muted">
          {status.reason}
        </span>
      ) : null}
      {open ? <WriteDialog {...props} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

const toneLabel = (t: AiWriteTone): string => t[0]!.toUpperCase() + t.slice(1);

function WriteDialog(props: { channel: 'email' | 'sms'; trigger: MergeScope; onUse: (draft: { subject: string | null; body: string }) => void; onClose: () => void }) {
  const titleId = useId();
  const [prompt, setPrompt] = useState('');
  const [tone, setTone] = useState<AiWriteTone>('neutral');
  const [draft, setDraft] = useState<AiWriteResult | null>(null);
  const [useSubject, setUseSubject] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const email = props.channel === 'email';

  const generate = async () => {
    setBusy(true);
    setError(null);
    const customValues = mergeFieldGroups(props.trigger).flatMap((g) => g.fields);
    const r = await getBridge().automation.writeWithAi({
      channel: props.channel, prompt, tone, customValues,
      ...(draft ? { currentText: draft.body, ...(draft.subject ? { currentSubject: draft.subject } : {}) } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setDraft(r.value);
    setPrompt('');
  };
  const use = () => {
    if (!draft) return;
    props.onUse({ subject: email && useSubject ? draft.subject : null, body: draft.body });
    props.onClose();
  };

  return (
    <ModalDialog labelledBy={titleId} onClose={props.onClose} className="write-with-ai-dialog">
      <h3 id={titleId}>Write with AI</h3>
      <TextField
        label={draft ? 'Follow-up (how to change it)' : email ? 'Describe the email' : 'Describe the text'} multiline value={prompt} onChange={setPrompt}
        placeholder={email ? 'A promotional email offering 20% off a first HydraFacial' : 'A reminder for tomorrow’s appointment'}
      />
      <SelectField label="Tone" value={tone} options={aiWriteTones.map((t) => ({ value: t, label: toneLabel(t) }))} onChange={setTone} />
      <div className="actions">
        <button type="button" disabled={busy || !prompt.trim()} onClick={() => void generate()}>
          {busy ? 'Writing…' : draft ? 'Re-generate' : 'Generate'}
        </button>
      </div>
      <p role="status" className={error ? 'field-error' : undefined}>
        {error ?? (busy ? 'The AI is writing…' : '')}
      </p>
      {draft ? (
        <section aria-label="Draft">
          {email ? (
            <>
              <TextField label="AI subject" value={draft.subject ?? ''} onChange={(subject) => setDraft({ ...draft, subject })} />
              <CheckField label="Use Subject" checked={useSubject} onChange={setUseSubject} />
            </>
          ) : null}
          <TextField
            label="AI draft" multiline value={draft.body} onChange={(body) => setDraft({ ...draft, body })}
            hint={props.channel === 'sms' ? `${draft.body.length}/1600 characters` : undefined}
          />
          {draft.removedMergeFields.length ? (
            <p className="field-warning">
              Removed {draft.removedMergeFields.map((f) => `{{${f}}}`).join(', ')}: this trigger does not supply {draft.removedMergeFields.length === 1 ? 'it' : 'them'}.
            </p>
          ) : null}
          <p className="muted">AI writes general copy: check it, and add personal details with custom values yourself.</p>
        </section>
      ) : null}
      <div className="actions">
        <button type="button" disabled={!draft?.body.trim()} onClick={use}>
          {email ? 'Use Email' : 'Use Text'}
        </button>
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
