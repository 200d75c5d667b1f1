import { useState, type FormEvent } from 'react';
import { useSession } from '../../state/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { signIn } from './session-actions';

/** Sign-in for a real cloud (the embedded demo signs in by itself). The password never stays in the page. */
export function SignIn() {
  const session = useSession((s) => s.session);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const busy = session?.status === 'signing-in';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await signIn(email, password);
    setPassword('');
    if (!result.ok) setError(result.error.message);
  };

  const reason = session?.status === 'signed-out' ? session.reason : undefined;
  return (
    <form className="card sign-in" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Aesthetix</h1>
      {reason ? <p className="hint" role="status">{reason}</p> : null}
      <label>
        Work email
        <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      </label>
      <label>
        Password
        <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <ErrorAlert message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
