import { useEffect, useState } from 'react';
import { Provider, useQuery } from 'urql';
import {
  type ShelfwireClient,
  createShelfwireClient,
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

/** One client per token: a new token means a new connection signed in as someone else. */
function useShelfwireClient(token: string) {
  const [client, setClient] = useState<ShelfwireClient>();
  const [liveError, setLiveError] = useState<string>();
  useEffect(() => {
    const created = createShelfwireClient({ url: apiUrl, token: token || undefined, transport });
    const live = followChanges(created.urql, {
      bookings: token !== '',
      onError: (error) => setLiveError(describeError(error)),
    });
    setClient(created);
    setLiveError(undefined);
    return () => {
      live.stop();
      void created.dispose();
    };
  }, [token]);
  return { client, liveError };
}

export function App() {
  const [token, setToken] = useState(savedToken);
  const { client, liveError } = useShelfwireClient(token);
  const signIn = (next: string) => {
    saveToken(next);
    setToken(next);
  };
  if (!client) return null;
  return (
    <Provider value={client.urql}>
      <header>
        <h1>Shelfwire</h1>
        <ConnectionBadge status={client.connection} />
        <SignIn token={token} onToken={signIn} />
      </header>
      {liveError && <p role="alert">Live updates stopped: {liveError}</p>}
      <Signed />
    </Provider>
  );
}

function Signed() {
  const [{ data, error }] = useQuery({ query: CurrentViewer });
  if (error) return <p role="alert">{describeError(error)}</p>;
  const viewer = data?.viewer ?? null;
  return (
    <main>
      <p className="viewer">
        {viewer
          ? `Signed in as ${viewer.userId} (${viewer.role})`
          : 'Browsing anonymously: sign in to book.'}
      </p>
      <Catalogue viewer={viewer} />
      {viewer && <Bookings viewer={viewer} />}
    </main>
  );
}
