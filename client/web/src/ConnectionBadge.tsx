import { useSyncExternalStore } from 'react';
import type { ConnectionState, ConnectionStatus, StopReason } from '../../src/index.ts';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Stopped',
};

const why = (reason: StopReason | undefined) =>
  reason?.code === 'UNAUTHENTICATED' ? 'sign-in no longer valid' : reason?.message;

/** Whether changes are streaming in right now, and why not when they have stopped. */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const state = useSyncExternalStore(
    (onChange) => status.subscribe(onChange),
    () => status.state,
  );
  const reason = state === 'stopped' ? why(status.stoppedBecause) : undefined;
  return (
    <span className="badge" data-state={state} role="status" aria-label="Connection">
      {labels[state]}
      {reason && `: ${reason}`}
    </span>
  );
}
