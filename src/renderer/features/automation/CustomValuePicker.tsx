import { useId, useState } from 'react';
import { triggerLinkField } from '../../../shared/cloud/trigger-link-fields';
import { freeFormPrefixes, mergeFieldGroups, type FieldTriggerLinks, type MergeScope, type TriggerLinkChoice } from './merge-fields';
import { TagIcon } from '../../ui/icons';

/**
 * The tag icon beside a text field: a list of the custom values (merge fields) the chosen trigger
 * supplies; choosing one inserts `{{field}}` at the cursor. Free-form ones (custom fields, webhook
 * fields) take a key typed after their prefix. A text a contact receives also offers the practice's
 * trigger links (`{{trigger_link.<key>}}`), each sent as the contact's own tracked link.
 */
export function CustomValuePicker(props: { trigger: MergeScope; fieldLabel: string; onPick: (field: string) => void; triggerLinks?: FieldTriggerLinks }) {
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState('');
  const [prefix, setPrefix] = useState('contact.custom_fields.');
  const listId = useId();
  const keyId = useId();
  const groups = mergeFieldGroups(props.trigger);
  const pick = (field: string) => {
    props.onPick(field);
    setOpen(false);
  };
  return (
    <div className="cv-picker">
      <button type="button" className="icon" aria-expanded={open} aria-controls={listId} aria-label={`Custom values for ${props.fieldLabel}`} onClick={() => setOpen(!open)}>
        <TagIcon />
      </button>
      {open ? (
        <div id={listId} className="cv-list" role="group" aria-label={`Custom values for ${props.fieldLabel}`} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {groups.map((g) => (
            <fieldset key={g.label}>
              <legend>{g.label}</legend>
              {g.fields.map((f) => (
                <button type="button" key={f} onClick={() => pick(f)}>
                  {`{{${f}}}`}
                </button>
              ))}
            </fieldset>
          ))}
          {props.triggerLinks !== undefined ? <TriggerLinkChoices links={props.triggerLinks} onPick={pick} /> : null}
          <fieldset>
            <legend>By key</legend>
            <select aria-label="Kind of custom value" value={prefix} onChange={(e) => setPrefix(e.target.value)}>
              {freeFormPrefixes(props.trigger).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <label htmlFor={keyId} className="sr-only">
              Key
            </label>
            <input id={keyId} value={key} onChange={(e) => setKey(e.target.value.replace(/[^A-Za-z0-9_.-]/g, ''))} placeholder="key" />
            <button type="button" disabled={!key} onClick={() => pick(`${prefix}${key}`)}>
              Insert
            </button>
          </fieldset>
          {props.trigger === null ? <p className="muted">Choose a trigger first: until then only contact, user and practice fields are offered.</p> : null}
          {props.trigger === 'any' ? <p className="muted">A template can serve any workflow: fields its trigger does not supply are sent blank (the builder warns).</p> : null}
        </div>
      ) : null}
    </div>
  );
}

/** The picker's Trigger links group: by name, each inserting its field. */
function TriggerLinkChoices(props: { links: readonly TriggerLinkChoice[] | null; onPick: (field: string) => void }) {
  return (
    <fieldset>
      <legend>Trigger links</legend>
      {props.links === null ? <p className="muted">The practice’s trigger links are not loaded: reopen the workflow when the cloud can be reached.</p> : null}
      {props.links?.length === 0 ? <p className="muted">No trigger links yet: create them under Automation → Trigger links.</p> : null}
      {props.links?.map((link) => (
        <button type="button" key={link.key} onClick={() => props.onPick(triggerLinkField(link.key))}>
          {link.name} <span className="cv-field">{`{{${triggerLinkField(link.key)}}}`}</span>
        </button>
      ))}
    </fieldset>
  );
}
