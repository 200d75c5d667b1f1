import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Contact } from '../../../shared/cloud';
import { formatPhone } from '../../lib/phone';
import { useCacheVersion } from '../../state/cache-versions';
import { useIsAdmin } from '../../state/session';
import { useNavigation } from '../../state/navigation';
import { ContactAssignee } from './ContactAssignee';
import { ContactWorkflows } from './ContactWorkflows';
import { CONTACTS_SHOWN, getContact, searchContacts } from './contacts-actions';

/** The contacts A–Z, or those found by name, number or tag (local full-text search), to call. */
export function ContactsView() {
  const version = useCacheVersion('contacts');
  const prefillDialer = useNavigation((s) => s.prefillDialer);
  const [query, setQuery] = useState('');
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [more, setMore] = useState(false);
  // Until the first answer, the page has nothing to say (not "no contacts" for a moment at every visit).
  const [answered, setAnswered] = useState(false);
  const focusTarget = useNavigation((s) => s.focusTarget);
  // An alert about a contact (contact:<id>) opens Contacts on that contact, highlighted and focused.
  const [target, setTarget] = useState<{ id: string; contact: Contact | null } | null>(null);
  const targetRef = useRef<HTMLLIElement>(null);
  const admin = useIsAdmin();
  // The contact whose workflows (enrol, runs) are open (admins).
  const [workflowsOf, setWorkflowsOf] = useState<string | null>(null);

  // The contact as main has it after a change made here (the list's next search shows the same).
  const replaceContact = (next: Contact) => {
    setContacts((list) => list.map((c) => (c.id === next.id ? next : c)));
    setTarget((t) => (t?.id === next.id ? { id: t.id, contact: next } : t));
  };

  useEffect(() => {
    const id = focusTarget?.startsWith('contact:') ? focusTarget.slice('contact:'.length) : null;
    if (!id) return;
    let live = true;
    void getContact(id).then((contact) => {
      if (!live) return;
      setTarget({ id, contact });
      if (contact) setQuery('');
    });
    return () => {
      live = false;
    };
  }, [focusTarget]);

  // A layout effect: focus lands in the same commit that draws the contact, never a frame later.
  useLayoutEffect(() => {
    if (target?.contact) targetRef.current?.focus();
  }, [target]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void searchContacts(query).then((found) => {
        if (!live || !found) return;
        setContacts(found.contacts);
        setMore(found.more);
        setAnswered(true);
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, version]);

  return (
    <section aria-label="Contacts">
      <input type="search" className="wide" placeholder="Search contacts by name, number or tag" aria-label="Search contacts" value={query} onChange={(e) => setQuery(e.target.value)} />
      {target && !target.contact ? (
        <p className="placeholder" role="status">
          The contact that alert is about is not on this computer yet; search for them by name or number.
        </p>
      ) : null}
      <ul className="contact-list">
        {(target?.contact && !query ? [target.contact, ...contacts.filter((c) => c.id !== target.id)] : contacts).map((c) => (
          <li
            key={c.id}
            {...(target?.contact && c.id === target.id && !query
              ? { ref: targetRef, tabIndex: -1, className: 'focused', 'aria-current': 'true' as const }
              : {})}
          >
            <div>
              <strong>{c.name}</strong>
              {target?.contact && c.id === target.id && !query ? <span className="tag">From the alert</span> : null}
              <small>{formatPhone(c.phone)}</small>
              {c.tags.length ? <span className="tags">{c.tags.map((t) => <span key={t} className="tag">{t}</span>)}</span> : null}
              <ContactAssignee contact={c} onAssigned={replaceContact} />
            </div>
            {c.phone ? (
              <button type="button" onClick={() => prefillDialer(c.phone!)} aria-label={`Call ${c.name}`}>
                Call
              </button>
            ) : null}
            {admin ? (
              <button type="button" aria-expanded={workflowsOf === c.id} onClick={() => setWorkflowsOf(workflowsOf === c.id ? null : c.id)} aria-label={`Workflows of ${c.name}`}>
                Workflows
              </button>
            ) : null}
            {admin && workflowsOf === c.id ? <ContactWorkflows contactId={c.id} contactName={c.name} /> : null}
          </li>
        ))}
        {answered && contacts.length === 0 ? <li className="placeholder">{query.trim() ? 'No contacts match.' : 'No contacts on this computer yet.'}</li> : null}
      </ul>
      {more ? (
        <p className="hint">
          {query.trim()
            ? `The ${CONTACTS_SHOWN} best matches: type more to narrow them.`
            : `The first ${CONTACTS_SHOWN} contacts A–Z: type a name, number or tag to find the others.`}
        </p>
      ) : null}
    </section>
  );
}
