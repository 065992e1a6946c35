/**
 * How the live part of a client is doing: `connecting` until its subscriptions first reach the
 * server, `connected` while they all stream, `reconnecting` while any waits to resume.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

type Phase = 'starting' | 'streaming' | 'lost';

/** The state of the whole client, derived from the phase of each open subscription. */
export class ConnectionStatus {
  private readonly phases = new Map<number, Phase>();
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private current: ConnectionState = 'connecting';

  get state(): ConnectionState {
    return this.current;
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

  ended(id: number): void {
    this.phases.delete(id);
    this.update();
  }

  private update(): void {
    const phases = [...this.phases.values()];
    let next: ConnectionState;
    if (phases.includes('lost')) next = 'reconnecting';
    else if (phases.includes('starting')) next = 'connecting';
    else if (phases.length > 0) next = 'connected';
    else next = this.current;
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }
}
