import { type FormEvent, useState } from 'react';
import { devSignIn, normalizeToken } from './session.ts';

/** A pasted token (`npm run token`), or a dev token from a server on the dev secret. */
export function SignIn({
  token,
  onToken,
  signedOutBecause,
}: {
  token: string;
  onToken: (token: string) => void;
  /** Why the page signed itself out, to say so where the person signs in again. */
  signedOutBecause?: string;
}) {
  const [draft, setDraft] = useState(token);
  const [name, setName] = useState('ada');
  const [role, setRole] = useState<'admin' | 'user'>('admin');
  const [problem, setProblem] = useState<string>();

  const applyToken = (event: FormEvent) => {
    event.preventDefault();
    const next = normalizeToken(draft);
    setProblem(undefined);
    setDraft(next);
    onToken(next);
  };
  const signInAsDev = async () => {
    try {
      const minted = await devSignIn(name, role);
      setProblem(undefined);
      setDraft(minted);
      onToken(minted);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <section className="sign-in" aria-label="Sign in">
      <form onSubmit={applyToken} aria-label="Token sign-in">
        <label>
          Token
          <input
            type="password"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder="Bearer token"
            autoComplete="off"
          />
        </label>
        <button type="submit">Use token</button>
        {token && (
          <button type="button" onClick={() => (setDraft(''), onToken(''))}>
            Sign out
          </button>
        )}
      </form>
      <div className="dev">
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <select
          aria-label="Role"
          value={role}
          onChange={(event) => setRole(event.target.value as 'admin' | 'user')}
        >
          <option value="admin">admin</option>
          <option value="user">user</option>
        </select>
        <button type="button" onClick={() => void signInAsDev()}>
          Dev sign-in
        </button>
      </div>
      {!token && signedOutBecause && (
        <p role="alert" className="signed-out">
          {signedOutBecause}
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
