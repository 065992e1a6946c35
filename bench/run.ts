// `npm run bench`: Shelfwire against a bare LISTEN + ws/SSE broadcast, on a database made for
// the run, in one of the scenarios of --scenario. See the README's "Benchmark" section.
import { openFilesLimit } from './report.ts';
import { batchesScenario } from './scenarios/batches.ts';
import { fanOutScenario } from './scenarios/fanout.ts';
import { reconnectScenario } from './scenarios/reconnect.ts';
import { writesScenario } from './scenarios/writes.ts';
import { BenchSession, type Scenario } from './session.ts';
import { type ScenarioName, settings } from './settings.ts';

const scenarios: Record<ScenarioName, Scenario> = {
  fanout: fanOutScenario,
  reconnect: reconnectScenario,
  writes: writesScenario,
  instances: fanOutScenario,
  batches: batchesScenario,
};

// Node cannot raise its own descriptor limit; the children inherit this one. The subscribers are
// spread over enough processes (settings.clients) that none needs more than it.
if (openFilesLimit() < settings.serverFilesNeeded) {
  throw new Error(
    `open files limit ${openFilesLimit()} < ${settings.serverFilesNeeded}: raise it (ulimit -n) and run again`,
  );
}

const scenario = scenarios[settings.scenario];
const session = new BenchSession(scenario.timeLimitMs);
try {
  await scenario.run(session);
} catch (error) {
  console.error('benchmark failed:', error);
  process.exitCode = 1;
} finally {
  await session.cleanUp();
}
