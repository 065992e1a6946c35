import type { ErrorCode } from './gql/enums.ts';

/**
 * How the live part of a client is doing: `connecting` until its subscriptions first reach the
 * server, `connected` while they all stream, `reconnecting` while any waits to resume, `stopped`
 * once the server refused one for good (an expired token, say): see `stoppedBecause`.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/** Why a subscription was refused: the server's error code when it gave one. */
export interface StopReason {
  code?: ErrorCode;
  message: string;
}

type Phase = 'starting' | 'streaming' | 'lost' | 'stopped';

/** The state of the whole client, derived from the phase of each open subscription. */
export class ConnectionStatus {
  private readonly phases = new Map<number, Phase>();
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private current: ConnectionState = 'connecting';
  private reason: StopReason | undefined;

  get state(): ConnectionState {
    return this.current;
  }

  /** Why the state is `stopped`: the first refusal; undefined in any other state. */
  get stoppedBecause(): StopReason | undefined {
    return this.current === 'stopped' ? this.reason : undefined;
  }

  /** Calls `listener` with every new state; returns the function that stops it. */
  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the state is `state` (at once if it already is). */
  until(state: ConnectionState): Promise<void> {
    if (this.current === state) return Promise.resolve();
    return new Promise((resolve) => {
      const stop = this.subscribe((next) => {
        if (next !== state) return;
        stop();
        resolve();
      });
    });
  }

  starting(id: number): void {
    // A resubscription after a loss stays "lost" until it streams again.
    if (this.phases.get(id) !== 'lost') this.phases.set(id, 'starting');
    this.update();
  }

  streaming(id: number): void {
    this.phases.set(id, 'streaming');
    this.update();
  }

  lost(id: number): void {
    this.phases.set(id, 'lost');
    this.update();
  }

  /** The server refused subscription `id` for good; it will not be retried. */
  stopped(id: number, reason: StopReason): void {
    this.reason ??= reason;
    this.phases.set(id, 'stopped');
    this.update();
  }

  ended(id: number): void {
    this.phases.delete(id);
    this.update();
  }

  private update(): void {
    const phases = [...this.phases.values()];
    let next: ConnectionState;
    // A refusal outranks a loss: the lost stream comes back on its own, the refused one never.
    if (!phases.includes('stopped')) this.reason = undefined;
    if (phases.includes('stopped')) next = 'stopped';
    else if (phases.includes('lost')) next = 'reconnecting';
    else if (phases.includes('starting')) next = 'connecting';
    else if (phases.length > 0) next = 'connected';
    else next = this.current;
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }
}
