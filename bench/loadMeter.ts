// What a server process spent while under load: CPU, event-loop delay, memory.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clock } from './processes.ts';

export interface ServerLoad {
  /** CPU time over wall time, both from `start()` to `read()`. */
  cpuMs: number;
  wallMs: number;
  /** How late the event loop got round to a due timer: the wait any I/O callback may see. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  peakRssMiB: number;
}

/** The histogram samples a timer this often and records the whole interval, not the delay. */
const resolutionMs = 10;
const delayMs = (intervalNs: number) => Math.max(0, intervalNs / 1e6 - resolutionMs);

/** Measures this process from `start()` (all subscribers in) to `read()` (the run is over). */
export class LoadMeter {
  private readonly loopDelay = monitorEventLoopDelay({ resolution: resolutionMs });
  private cpu = process.cpuUsage();
  private wall = clock();

  start(): void {
    this.cpu = process.cpuUsage();
    this.wall = clock();
    this.loopDelay.reset();
    this.loopDelay.enable();
  }

  read(): ServerLoad {
    this.loopDelay.disable();
    const cpu = process.cpuUsage(this.cpu);
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: clock() - this.wall,
      loopDelayP99Ms: delayMs(this.loopDelay.percentile(99)),
      loopDelayMaxMs: delayMs(this.loopDelay.max),
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  }
}
