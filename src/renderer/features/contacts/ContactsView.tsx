import { useEffect, useState } from 'react';
import type { Contact } from '../../../shared/cloud';
import { formatPhone } from '../../lib/phone';
import { useCacheVersion } from '../../state/cache-versions';
import { useNavigation } from '../../state/navigation';
import { searchContacts } from './contacts-actions';

/** Find a contact by name, number or tag (local full-text search) and call them. */
export function ContactsView() {
  const version = useCacheVersion('contacts');
  const prefillDialer = useNavigation((s) => s.prefillDialer);
  const [query, setQuery] = useState('');
  const [contacts, setContacts] = useState<Contact[]>([]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void searchContacts(query).then((found) => {
        if (live && found) setContacts(found);
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
      <ul className="contact-list">
        {contacts.map((c) => (
          <li key={c.id}>
            <div>
              <strong>{c.name}</strong>
              <small>{formatPhone(c.phone)}</small>
              {c.tags.length ? <span className="tags">{c.tags.map((t) => <span key={t} className="tag">{t}</span>)}</span> : null}
            </div>
            {c.phone ? (
              <button type="button" onClick={() => prefillDialer(c.phone!)} aria-label={`Call ${c.name}`}>
                Call
              </button>
            ) : null}
          </li>
        ))}
        {contacts.length === 0 ? <li className="placeholder">{query ? 'No contacts match.' : 'Type to search your contacts.'}</li> : null}
      </ul>
    </section>
  );
}
