import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { bookingNews } from './bookingNews.ts';
import type { BookingNewsFeed } from './bookingNewsFeed.ts';
import { onLocalClock } from './serverClock.ts';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;

/** A system notification too, while the tab is hidden and the user has allowed them. */
function notifyInBackground(text: string) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'hidden') new Notification('Shelfwire', { body: text });
}

/**
 * What happened to the viewer's bookings, in words: live as it happens, and, on a visit that
 * resumed from the cursor kept from the last one (`resumedFrom`), what happened meanwhile (the
 * changes written before the page opened, clocks compared as serverClock.ts knows them) under
 * "While you were away".
 */
export function Notifications(props: {
  viewer: Viewer;
  feed: BookingNewsFeed;
  resumedFrom: string | undefined;
  openedAt: Date;
  /** Changes since the last visit could not all be replayed (kept too long ago). */
  replayLost: boolean;
}) {
  const { viewer, feed, resumedFrom, openedAt } = props;
  const { count, changes } = useSyncExternalStore(feed.subscribe, feed.snapshot);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [awayDismissed, setAwayDismissed] = useState(false);
  const notes = useMemo(() => {
    const told = changes.flatMap((change) => {
      const text = bookingNews(change, viewer);
      return text ? [{ id: change.cursor, text, away: onLocalClock(change.at) < openedAt }] : [];
    });
    return {
      away: told.filter((note) => note.away),
      live: told.filter((note) => !note.away && !dismissed.has(note.id)).slice(-5),
    };
  }, [changes, viewer, openedAt, dismissed]);

  // Each live note once to the system, as it arrives.
  const notified = useRef(count);
  useEffect(() => {
    const fresh = changes.slice(
      changes.length - Math.min(count - notified.current, changes.length),
    );
    notified.current = count;
    for (const change of fresh) {
      const text = onLocalClock(change.at) >= openedAt && bookingNews(change, viewer);
      if (text) notifyInBackground(text);
    }
  }, [count, changes, viewer, openedAt]);

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
          ) : notes.away.length === 0 ? (
            <p>Nothing happened to your bookings.</p>
          ) : (
            <ul aria-label="While you were away">
              {notes.away.map((note) => (
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
        {notes.live.map((note) => (
          <li key={note.id} role="status">
            {note.text}
            <button
              type="button"
              aria-label="Dismiss"
              onClick={() => setDismissed((ids) => new Set(ids).add(note.id))}
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
