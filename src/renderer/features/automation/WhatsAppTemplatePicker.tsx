import { useEffect, useState } from 'react';
import type { WhatsAppTemplateView } from '../../../shared/cloud/whatsapp';
import { getBridge } from '../../bridge';
import { SelectField } from './fields';

/**
 * An Internal Notification's WhatsApp template, chosen from the practice's APPROVED templates (as
 * Twilio last reported them, Settings → Integrations → WhatsApp sender): WhatsApp delivers nothing
 * else. A step that names a template no longer approved still shows it, marked, so nothing is
 * silently changed.
 */
export function WhatsAppTemplatePicker(props: { value: string; onChange: (contentSid: string) => void; error?: string }) {
  const [approved, setApproved] = useState<WhatsAppTemplateView[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void getBridge().workflowSettings.whatsApp().then((result) => {
      if (!live) return;
      if (result.ok) setApproved(result.value.templates.filter((t) => t.status === 'approved'));
      else setFailure(result.error.message);
    });
    return () => void (live = false);
  }, []);

  // A step stores the Content SID; older steps may hold the template's name (the action accepts both).
  const chosen = approved?.find((t) => t.contentSid === props.value || t.name === props.value) ?? null;
  const unknown = props.value !== '' && approved !== null && chosen === null;
  const placeholder = approved === null ? (failure ? 'Templates could not be loaded' : 'Loading templates…') : approved.length ? 'Choose an approved template' : 'No approved templates yet';
  const options = [
    { value: '', label: placeholder },
    ...(approved ?? []).map((t) => ({ value: t.contentSid, label: `${t.name} (${t.language})` })),
    ...(unknown || (approved === null && props.value) ? [{ value: props.value, label: unknown ? `${props.value} (not an approved template now)` : props.value }] : []),
  ];
  return (
    <>
      <SelectField label="Templates" value={chosen?.contentSid ?? props.value} options={options} onChange={props.onChange} error={props.error} />
      {failure ? <p className="field-warning">Could not load the WhatsApp templates: {failure}</p> : null}
      {approved !== null && approved.length === 0 ? (
        <p className="muted">Approve a template at Twilio, then Refresh templates under Settings → Integrations → WhatsApp sender.</p>
      ) : null}
      {unknown ? <p className="field-warning">This template is not among the approved ones: WhatsApp will not deliver it. Choose another.</p> : null}
      {chosen ? (
        <p className="muted ws-preview">
          Template text: {chosen.body}{' '}
          {Object.keys(chosen.variables).length > 0 ? '(the Message fills its first placeholder).' : '(it has no placeholder: the Message is not sent with it).'}
        </p>
      ) : null}
    </>
  );
}
