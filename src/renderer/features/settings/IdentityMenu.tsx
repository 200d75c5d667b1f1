import { useEffect, useId, useRef, useState } from 'react';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { SignOutButton } from './SignOut';

const ROLE_LABEL = { admin: 'Admin', user: 'Receptionist' } as const;

/**
 * Who is signed in, always in view: name, role and practice in the header, and a small panel with
 * the e-mail, My profile and Sign out (the same sign-out that first sends waiting changes).
 * A disclosure rather than a menu: the sign-out question opens a dialog from inside it.
 */
export function IdentityMenu() {
  const session = useSession((s) => s.session);
  const practice = usePractice((s) => s.directory?.account?.name ?? null);
  const setView = useNavigation((s) => s.setView);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      // A modal opened from the panel (the sign-out question) is the panel's too.
      if (!rootRef.current?.contains(target) && !(target instanceof Element && target.closest('dialog'))) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  if (session?.status !== 'signed-in') return null;
  const { user } = session;
  const role = ROLE_LABEL[user.role];
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  return (
    <div
      className="identity"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open && !(e.target instanceof Element && e.target.closest('dialog'))) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button ref={buttonRef} type="button" className="identity-button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((v) => !v)} data-testid="identity-button">
        <span className="identity-name">{user.name}</span>
        <span className="identity-role">
          {role}
          {practice ? ` · ${practice}` : ''}
        </span>
      </button>
      {open ? (
        <div id={panelId} className="identity-panel" role="group" aria-label="Signed in" data-testid="identity-panel">
          <p>
            <strong>{user.name}</strong>
            <br />
            {user.email}
            <br />
            {role}
            {practice ? ` at ${practice}` : ''}
          </p>
          <button
            type="button"
            onClick={() => {
              setView('profile');
              close();
            }}
          >
            My profile
          </button>
          <SignOutButton />
        </div>
      ) : null}
    </div>
  );
}
