import { useCallback, useEffect, useState } from 'react';
import { getOperationName } from '@urql/core';
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
import { followBookingNews, type BookingNewsFeed } from './bookingNewsFeed.ts';
import { lastBookingCursor, tokenSubject } from './lastVisit.ts';
import { Notifications } from './Notifications.tsx';
import { fetchNotingServerClock } from './serverClock.ts';
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

/** One client's time: where its booking changes resume from, and when it began. */
interface Visit {
  /** Counts the clients made: what belongs to one never shows under the next. */
  client: number;
  /** The signed-in user's booking changes, from the client's first moment. */
  news: BookingNewsFeed | undefined;
  resumedFrom: string | undefined;
  openedAt: Date;
  replayLost: boolean;
}

/**
 * One client per token: a new token means a new connection signed in as someone else. Its
 * booking changes resume from the cursor this user's last visit kept. A live refusal goes to
 * `onRefused`; it stops only that client's live updates.
 */
function useShelfwireClient(token: string, onRefused: (error: CombinedError) => void) {
  const [client, setClient] = useState<ShelfwireClient>();
  const [liveError, setLiveError] = useState<string>();
  const [visit, setVisit] = useState<Visit>();
  useEffect(() => {
    const subject = token ? tokenSubject(token) : undefined;
    const resumedFrom = subject ? lastBookingCursor(subject) : undefined;
    const openedAt = new Date();
    const created = createShelfwireClient({
      url: apiUrl,
      token: token || undefined,
      transport,
      fetch: fetchNotingServerClock,
      // Only the booking stream's gap loses "while you were away"; the books' is refetched.
      onGap: (operation) => {
        if (getOperationName(operation.query) !== 'BookingChanges') return;
        setVisit((visit) => visit && { ...visit, replayLost: true });
      },
    });
    const live = followChanges(created.urql, {
      bookings: token !== '',
      bookingsAfter: resumedFrom,
      onError: (error) => {
        setLiveError(describeError(error));
        onRefused(error);
      },
    });
    const news = subject
      ? followBookingNews(created.urql, { after: resumedFrom, userId: subject })
      : undefined;
    setVisit((last) => ({
      client: (last?.client ?? 0) + 1,
      news,
      resumedFrom,
      openedAt,
      replayLost: false,
    }));
    setClient(created);
    setLiveError(undefined);
    return () => {
      news?.stop();
      live.stop();
      void created.dispose();
    };
  }, [token, onRefused]);
  return { client, liveError, visit };
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
  const { client, liveError, visit } = useShelfwireClient(token, refused);
  if (!client || !visit) return null;
  return (
    <Provider value={client.urql}>
      <header>
        <h1>Shelfwire</h1>
        <ConnectionBadge status={client.connection} />
        <SignIn key={token} token={token} onToken={signIn} signedOutBecause={signedOutBecause} />
      </header>
      {liveError && <p role="alert">Live updates stopped: {liveError}</p>}
      {/* Keyed by client: nothing of the last sign-in (its viewer, its news) outlives it. */}
      <Signed key={visit.client} onRefused={refused} visit={visit} />
    </Provider>
  );
}

function Signed({ onRefused, visit }: { onRefused: (error: CombinedError) => void; visit: Visit }) {
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
      {viewer && visit.news && (
        <Notifications
          viewer={viewer}
          feed={visit.news}
          resumedFrom={visit.resumedFrom}
          openedAt={visit.openedAt}
          replayLost={visit.replayLost}
        />
      )}
      <Catalogue viewer={viewer} />
      {viewer && <Bookings viewer={viewer} />}
    </main>
  );
}
