import { useCallback, useEffect, useState } from 'react';
import { type CombinedError, Provider, useQuery } from 'urql';
import {
  type ShelfwireClient,
  createShelfwireClient,
  errorCode,
  followChanges,
  graphql,
} from '../../src/index.ts';
import { Bookings } from './Bookings.tsx';
import { Catalogue } from './Catalogue.tsx';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { describeError } from './describeError.ts';
import { apiUrl, saveToken, savedToken, transport } from './session.ts';
import { SignIn } from './SignIn.tsx';

const CurrentViewer = graphql(`
  query CurrentViewer {
    viewer {
      userId
      role
    }
  }
`);

const signedOutNotice =
  'You were signed out: the token expired or was not accepted. The catalogue stays open; paste a new token to book.';

/**
 * One client per token: a new token means a new connection signed in as someone else. A live
 * refusal goes to `onRefused`; it stops only that client's live updates.
 */
function useShelfwireClient(token: string, onRefused: (error: CombinedError) => void) {
  const [client, setClient] = useState<ShelfwireClient>();
  const [liveError, setLiveError] = useState<string>();
  useEffect(() => {
    const created = createShelfwireClient({ url: apiUrl, token: token || undefined, transport });
    const live = followChanges(created.urql, {
      bookings: token !== '',
      onError: (error) => {
        setLiveError(describeError(error));
        onRefused(error);
      },
    });
    setClient(created);
    setLiveError(undefined);
    return () => {
      live.stop();
      void created.dispose();
    };
  }, [token, onRefused]);
  return { client, liveError };
}

export function App() {
  const [token, setToken] = useState(savedToken);
  const [signedOutBecause, setSignedOutBecause] = useState<string>();
  const signIn = (next: string) => {
    saveToken(next);
    setSignedOutBecause(undefined);
    setToken(next);
  };
  /** An expired or refused token: carry on anonymously, and say why. */
  const refused = useCallback((error: CombinedError) => {
    if (errorCode(error) !== 'UNAUTHENTICATED' || !savedToken()) return;
    saveToken('');
    setSignedOutBecause(signedOutNotice);
    setToken('');
  }, []);
  const { client, liveError } = useShelfwireClient(token, refused);
  if (!client) return null;
  return (
    <Provider value={client.urql}>
      <header>
        <h1>Shelfwire</h1>
        <ConnectionBadge status={client.connection} />
        <SignIn key={token} token={token} onToken={signIn} signedOutBecause={signedOutBecause} />
      </header>
      {liveError && <p role="alert">Live updates stopped: {liveError}</p>}
      <Signed onRefused={refused} />
    </Provider>
  );
}

function Signed({ onRefused }: { onRefused: (error: CombinedError) => void }) {
  const [{ data, error, fetching }] = useQuery({ query: CurrentViewer });
  useEffect(() => {
    if (error) onRefused(error);
  }, [error, onRefused]);
  const viewer = data?.viewer ?? null;
  return (
    <main>
      {error && <p role="alert">{describeError(error)}</p>}
      <p className="viewer">
        {fetching && !data
          ? 'Checking the sign-in…'
          : viewer
            ? `Signed in as ${viewer.userId} (${viewer.role})`
            : 'Browsing anonymously: sign in to book.'}
      </p>
      <Catalogue viewer={viewer} />
      {viewer && <Bookings viewer={viewer} />}
    </main>
  );
}
