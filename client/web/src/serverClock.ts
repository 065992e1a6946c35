// How far this browser's clock is from the server's, from the Date header of the API's answers:
// "while you were away" compares the time changes were written (the server's clock) with when
// the page opened. The header counts whole seconds, so only a larger difference is corrected.

let offsetMs = 0;
const minimumMs = 2000;

/** A fetch that notes the server's clock from each answer's Date header. */
export const fetchNotingServerClock: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isNaN(date)) {
    const measured = date - Date.now();
    offsetMs = Math.abs(measured) >= minimumMs ? measured : 0;
  }
  return response;
};

/** A moment of the server's clock (a change's `at`) on this browser's clock, as far as known. */
export const onLocalClock = (serverTime: string) => new Date(Date.parse(serverTime) - offsetMs);
