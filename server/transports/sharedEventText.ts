/**
 * The text of an event whose payload is a shared result (realtime/sharedResults.ts), made once
 * for all the streams it goes to rather than once per stream. A client that reads slowly holds
 * its events in the server's memory until its socket takes them: one string shared by every
 * such client costs that once, and it is not copied from the young generation to the old one
 * for each (the 10,000-subscriber runs spent a quarter of the fan-out's time in the collector).
 *
 * The fan-out hands a batch of changes to one subscriber after the other, so the texts of
 * several recent results are kept, not only the last one's, found by their JSON (whose hash V8
 * keeps with the string).
 */
export function sharedEventText(
  make: (json: string, cursor: string) => string,
): (json: string, cursor: string) => string {
  const recent = new Map<string, { cursor: string; text: string }>();
  return (json, cursor) => {
    const known = recent.get(json);
    if (known?.cursor === cursor) return known.text;
    if (recent.size >= recentResults) recent.clear();
    const text = make(json, cursor);
    recent.set(json, { cursor, text });
    return text;
  };
}

/** More than the changes of one batch (a busy feed reads several at once), for a few queries. */
const recentResults = 256;
