import { expect, test } from 'vitest';
import { type ConnectionState, ConnectionStatus } from './connectionState.ts';

test('connecting until every subscription streams, reconnecting while any is lost, connected again once all are back', () => {
  const status = new ConnectionStatus();
  const seen: ConnectionState[] = [];
  status.subscribe((state) => seen.push(state));

  status.starting(1);
  status.starting(2);
  status.streaming(1);
  expect(status.state).toBe('connecting');
  status.streaming(2);
  status.lost(2);
  status.starting(2); // the retry: still reconnecting until it streams
  expect(status.state).toBe('reconnecting');
  status.streaming(2);
  status.ended(1);

  expect(seen).toEqual(['connected', 'reconnecting', 'connected']);
  expect(status.state).toBe('connected');
});

test('stopped, with the reason, once the server refuses a subscription for good', () => {
  const status = new ConnectionStatus();
  status.starting(1);
  status.starting(2);
  status.streaming(1);
  status.streaming(2);
  status.lost(1);
  expect(status.stoppedBecause).toBeUndefined();
  status.stopped(2, { code: 'UNAUTHENTICATED', message: 'Token expired.' });

  expect(status.state).toBe('stopped');
  expect(status.stoppedBecause).toEqual({ code: 'UNAUTHENTICATED', message: 'Token expired.' });
  status.streaming(1);
  expect(status.state).toBe('stopped');
});
