import { useEffect, useRef, useState } from 'react';
import { useSubscription } from 'urql';
import { BookingChanges, bookingChangesFrom } from '../../src/index.ts';
import type { BookingChangesSubscription, CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { type BookingChange, bookingNews } from './bookingNews.ts';
import { keepBookingCursor } from './lastVisit.ts';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;
interface Note {
  id: string;
  text: string;
}

/** The last changes received and how many came in all, so none is handled twice. */
interface Received {
  count: number;
  recent: BookingChange[];
}
const keptChanges = 50;

/** A system notification too, while the tab is hidden and the user has allowed them. */
function notifyInBackground(text: string) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'hidden') new Notification('Shelfwire', { body: text });
}

/**
 * What happened to the viewer's bookings, in words: live as it happens, and, on a visit that
 * resumed from the cursor kept from the last one (`resumedFrom`), what happened meanwhile (the
 * changes written before the page opened) under "While you were away". Shares the client's
 * booking stream (the same operation), so nothing is subscribed twice.
 */
export function Notifications(props: {
  viewer: Viewer;
  resumedFrom: string | undefined;
  openedAt: Date;
  /** Changes since the last visit could not all be replayed (kept too long ago). */
  replayLost: boolean;
}) {
  const { viewer, resumedFrom, openedAt } = props;
  const [live, setLive] = useState<Note[]>([]);
  const [away, setAway] = useState<Note[]>([]);
  const [awayDismissed, setAwayDismissed] = useState(false);
  const [{ data }] = useSubscription<BookingChangesSubscription, Received>(
    { query: BookingChanges, variables: bookingChangesFrom(resumedFrom) },
    (received = { count: 0, recent: [] }, result) => ({
      count: received.count + 1,
      recent: [...received.recent, result.bookingChanged].slice(-keptChanges),
    }),
  );
  const handled = useRef(0);
  useEffect(() => {
    if (!data) return;
    const unseen = data.recent.slice(-Math.min(data.count - handled.current, keptChanges));
    handled.current = data.count;
    for (const change of unseen) {
      keepBookingCursor(viewer.userId, change.cursor);
      const text = bookingNews(change, viewer);
      if (!text) continue;
      const note = { id: change.cursor, text };
      if (new Date(change.at) < openedAt) setAway((notes) => [...notes, note]);
      else {
        setLive((notes) => [...notes, note].slice(-5));
        notifyInBackground(text);
      }
    }
  }, [data, viewer, openedAt]);

  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'denied' : Notification.permission,
  );
  const showAway = resumedFrom !== undefined && !awayDismissed;
  return (
    <>
      {showAway && (
        <section className="away" aria-labelledby="away-title">
          <h2 id="away-title">While you were away</h2>
          {props.replayLost ? (
            <p>
              Your last visit was too long ago to list what changed; everything shown is current.
            </p>
          ) : away.length === 0 ? (
            <p>Nothing happened to your bookings.</p>
          ) : (
            <ul aria-label="While you were away">
              {away.map((note) => (
                <li key={note.id}>{note.text}</li>
              ))}
            </ul>
          )}
          <button type="button" onClick={() => setAwayDismissed(true)}>
            Dismiss
          </button>
        </section>
      )}
      <ul className="notifications" aria-label="Notifications">
        {live.map((note) => (
          <li key={note.id} role="status">
            {note.text}
            <button
              type="button"
              aria-label="Dismiss"
              onClick={() => setLive((notes) => notes.filter((kept) => kept !== note))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {permission === 'default' && (
        <button
          type="button"
          className="link"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          Also notify me while this tab is in the background
        </button>
      )}
    </>
  );
}
