import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Contact } from '../../../shared/cloud';
import { NONE } from '../../lib/none';
import { usePractice } from '../../state/practice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { assignContact } from './contacts-actions';
import './contacts.css';

/**
 * Whom the contact is assigned to (the team member a number set to "ring the caller's assigned
 * user" rings), and changing it: an explicit Save, so browsing the list with the arrow keys never
 * sends a change per key. Works offline: the change shows at once and waits in the outbox.
 */
export function ContactAssignee(props: { contact: Contact; onAssigned: (contact: Contact) => void }) {
  const { contact, onAssigned } = props;
  const users = usePractice((s) => s.directory?.users) ?? NONE;
  const [editing, setEditing] = useState(false);
  const [chosen, setChosen] = useState(contact.assignedUserId ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const selectId = useId();
  const assignee = contact.assignedUserId ? users.find((u) => u.id === contact.assignedUserId) : null;
  const current = contact.assignedUserId === null ? 'Unassigned' : assignee ? `Assigned to ${assignee.name}` : 'Assigned to a former team member';

  const close = () => {
    setEditing(false);
    setError(null);
    toggleRef.current?.focus();
  };
  const save = async () => {
    setSaving(true);
    const result = await assignContact(contact.id, chosen === '' ? null : chosen);
    setSaving(false);
    if (!result.ok) return setError(result.message);
    onAssigned(result.contact);
    close();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    close();
  };

  return (
    <div className="contact-assignee">
      <small>{current}</small>
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={editing}
        aria-label={`Assign ${contact.name} to a team member`}
        onClick={() => {
          setChosen(contact.assignedUserId ?? '');
          setError(null);
          setEditing(!editing);
        }}
      >
        Assign
      </button>
      {editing ? (
        <div className="contact-assignee-edit" role="group" aria-label={`Assigned user of ${contact.name}`} onKeyDown={onKeyDown}>
          <label htmlFor={selectId}>Team member</label>
          {/* Focus goes to the choice as soon as it opens: the receptionist asked to assign. */}
          <select id={selectId} autoFocus value={chosen} onChange={(e) => setChosen(e.target.value)} disabled={saving}>
            <option value="">Unassigned</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void save()} disabled={saving || chosen === (contact.assignedUserId ?? '')}>
            Save
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <ErrorAlert message={error} />
        </div>
      ) : null}
    </div>
  );
}
