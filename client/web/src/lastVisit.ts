// Where a user's booking changes stood when they last had the page open: the cursor of the last
// change it received, kept per user in this browser, so the next visit resumes from it.

const keyOf = (userId: string) => `shelfwire.lastBookingCursor.${userId}`;

export const lastBookingCursor = (userId: string): string | undefined =>
  localStorage.getItem(keyOf(userId)) ?? undefined;

export function keepBookingCursor(userId: string, cursor: string): void {
  localStorage.setItem(keyOf(userId), cursor);
}

/** The `sub` of a JWT, read without verifying it (the server does): whose cursor to use. */
export function tokenSubject(token: string): string | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
