import { useSyncExternalStore } from 'react';
import type { ConnectionState, ConnectionStatus } from '../../src/index.ts';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Whether changes are streaming in right now. */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const state = useSyncExternalStore(
    (onChange) => status.subscribe(onChange),
    () => status.state,
  );
  return (
    <span className="badge" data-state={state} role="status" aria-label="Connection">
      {labels[state]}
    </span>
  );
}
