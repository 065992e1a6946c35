// GET /metrics, scraped from a running server while changes are delivered, and the compose
// setup that scrapes it (Prometheus, Grafana) checked against what it actually exposes.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { SubscriberEndReason } from '../server/realtime/feedEvents.ts';
import { listenerApplicationName } from '../server/realtime/listener.ts';
import {
  errorCode,
  gql,
  gqlOk,
  opened,
  serverPerFile,
  startTestServer,
  subscribe,
  tokenFor,
} from './support.ts';

const fixture = serverPerFile();

const metricsUrl = (server: { port: number }) => `http://127.0.0.1:${server.port}/metrics`;

/** The samples of one scrape: `name{label="value",...}` and its value. */
async function scrape(server = fixture.server, headers: Record<string, string> = {}) {
  const response = await fetch(metricsUrl(server), { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseSamples(await response.text());
}

type Samples = { name: string; labels: Record<string, string>; value: number }[];

function parseSamples(text: string): Samples {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k!, v!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The sum of the samples named `name` whose labels include `labels`. */
function value(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Resolves once the feed has ended `count` subscriptions with `reason`. */
function ended(count: number, reason: SubscriberEndReason): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const onEnded = (ending: { reason: SubscriberEndReason }) => {
      if (ending.reason === reason && ++seen === count) {
        fixture.server.changes.events.off('subscriberEnded', onEnded);
        resolve();
      }
    };
    fixture.server.changes.events.on('subscriberEnded', onEnded);
  });
}

const bookChanged = 'subscription { bookChanged { cursor kind book { title } } }';

describe('GET /metrics', () => {
  test('counts subscribers per transport, and a change moves the deliveries and the latency histogram', async () => {
    const before = await scrape();
    const subscriptions = await opened(
      fixture.server,
      () =>
        [
          subscribe(fixture.server, 'ws', bookChanged),
          subscribe(fixture.server, 'sse-distinct', bookChanged),
          subscribe(fixture.server, 'sse-single', bookChanged),
        ] as const,
    );
    const during = await scrape();
    for (const transport of ['ws', 'sse', 'sse_single']) {
      const labels = { transport, field: 'bookChanged' };
      expect(value(during, 'shelfwire_subscribers', labels), transport).toBe(
        value(before, 'shelfwire_subscribers', labels) + 1,
      );
    }

    await fixture.database.sql.query(
      "INSERT INTO books (title, author, copies) VALUES ('Metered', 'Scrape', 1)",
    );
    for (const subscription of subscriptions) {
      expect((await subscription.next()).data?.bookChanged.book.title).toBe('Metered');
    }
    const after = await scrape();
    const live = { field: 'bookChanged', source: 'live' };
    expect(value(after, 'shelfwire_deliveries_total', live)).toBe(
      value(during, 'shelfwire_deliveries_total', live) + 3,
    );
    const latencyCount = 'shelfwire_delivery_latency_seconds_count';
    expect(value(after, latencyCount)).toBe(value(during, latencyCount) + 3);
    expect(value(after, 'shelfwire_delivery_latency_seconds_sum')).toBeGreaterThan(
      value(during, 'shelfwire_delivery_latency_seconds_sum'),
    );
    // Everything written has been read: no lag once delivered.
    expect(value(after, 'shelfwire_change_log_lag_changes')).toBe(0);
    expect(value(after, 'shelfwire_listener_up')).toBe(1);

    const left = ended(3, 'CLIENT_LEFT');
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await left;
    const gone = await scrape();
    const clientLeft = { field: 'bookChanged', reason: 'CLIENT_LEFT' };
    expect(value(gone, 'shelfwire_subscriptions_ended_total', clientLeft)).toBe(
      value(after, 'shelfwire_subscriptions_ended_total', clientLeft) + 3,
    );
    expect(value(gone, 'shelfwire_subscribers')).toBe(value(before, 'shelfwire_subscribers'));
  });

  test('counts GraphQL operations by name and outcome', async () => {
    const before = await scrape();
    await gqlOk(fixture.server, 'query ShelfPeek { books(first: 1) { nodes { id } } }');
    const refused = await gql(
      fixture.server,
      'mutation SneakyCreate { createBook(input: { title: "X", author: "Y", copies: 1 }) { id } }',
      {},
      await tokenFor('mallory'),
    );
    const code = errorCode(refused);
    expect(code).toBe('FORBIDDEN');
    await gql(fixture.server, 'query Misspelt { bookz { id } }');
    const after = await scrape();
    const operations = (labels: Record<string, string>) =>
      value(after, 'shelfwire_graphql_operations_total', labels) -
      value(before, 'shelfwire_graphql_operations_total', labels);
    expect(operations({ operation: 'ShelfPeek', type: 'query', outcome: 'ok' })).toBe(1);
    expect(operations({ operation: 'SneakyCreate', type: 'mutation', outcome: code })).toBe(1);
    expect(
      operations({ operation: 'Misspelt', type: 'query', outcome: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBe(1);
  });

  test('folds operation names past the hundredth distinct one into "other", and cuts long ones', async () => {
    const long = `Q${'x'.repeat(200)}`;
    await gqlOk(fixture.server, `query ${long} { books(first: 1) { nodes { id } } }`);
    for (let i = 0; i < 100; i++) {
      await gqlOk(fixture.server, `query Distinct${i} { books(first: 1) { nodes { id } } }`);
    }
    const samples = await scrape();
    const names = new Set(
      samples
        .filter((sample) => sample.name === 'shelfwire_graphql_operations_total')
        .map((sample) => sample.labels.operation!),
    );
    expect(names.has(long.slice(0, 64))).toBe(true);
    expect([...names].every((name) => name.length <= 64)).toBe(true);
    expect(names.has('other')).toBe(true);
    expect(names.size).toBeLessThanOrEqual(102); // 100 names, "other" and "anonymous"
  });

  test('counts a LISTEN reconnect after the connection is killed', async () => {
    const before = await scrape();
    const reconnected = once(fixture.server.changes.events, 'listenerReconnected');
    await fixture.database.sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1`,
      [listenerApplicationName],
    );
    await reconnected;
    const after = await scrape();
    expect(value(after, 'shelfwire_listener_reconnects_total')).toBe(
      value(before, 'shelfwire_listener_reconnects_total') + 1,
    );
    expect(value(after, 'shelfwire_listener_up')).toBe(1);
  });

  test('reads the pool at scrape time', async () => {
    const samples = await scrape();
    expect(value(samples, 'shelfwire_db_pool_connections_max')).toBe(10);
    expect(value(samples, 'shelfwire_db_pool_connections_idle')).toBeGreaterThan(0);
    expect(value(samples, 'shelfwire_db_pool_waiting_clients')).toBe(0);
  });

  test('with METRICS_TOKEN, answers only its bearer, and never takes it for a JWT', async () => {
    const token = 'metrics-scraper-secret-0123456789';
    const guarded = await startTestServer(fixture.database, { METRICS_TOKEN: token });
    try {
      const url = metricsUrl(guarded);
      expect((await fetch(url)).status).toBe(401);
      const wrong = await fetch(url, { headers: { authorization: 'Bearer not-it' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const samples = await scrape(guarded, { authorization: `Bearer ${token}` });
      expect(value(samples, 'shelfwire_listener_up')).toBe(1);
    } finally {
      await guarded.close();
    }
    // Without the setting, /metrics is open, whatever Authorization says.
    await scrape(fixture.server, { authorization: 'Bearer anything' });
  });
});

// ---- the compose monitoring setup ---------------------------------------------------------

const repoFile = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));
const read = (name: string) => readFileSync(repoFile(name), 'utf8');

interface Service {
  image?: string;
  volumes?: string[];
  depends_on?: Record<string, unknown>;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };

/** The service's bind mounts, container path by host path (as written, `./` and all). */
function mounts(name: string): Map<string, string> {
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service "${name}"`);
  return new Map(
    (service.volumes ?? [])
      .map((volume) => volume.split(':'))
      .filter(([source]) => source!.startsWith('./'))
      .map(([source, target]) => [source!.slice(2), target!]),
  );
}

const dashboardFile = 'deploy/grafana/dashboards/shelfwire-realtime.json';
const dashboard = JSON.parse(read(dashboardFile)) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const alerts = parse(read('deploy/prometheus-alerts.yml')) as {
  groups: { rules: { alert: string; expr: string }[] }[];
};

/** The metric names a PromQL expression reads (ours and prom-client's default ones). */
const metricNames = (expr: string) => expr.match(/\b(?:shelfwire|nodejs|process)_\w+/g) ?? [];

describe('docker-compose.yml monitoring', () => {
  test('runs Prometheus with deploy/prometheus.yml and the alerts, scraping every api replica on /metrics', () => {
    const prometheus = mounts('prometheus');
    expect(prometheus.get('deploy/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    const config = parse(read('deploy/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: {
        metrics_path?: string;
        dns_sd_configs?: { names: string[]; type: string; port: number }[];
      }[];
    };
    expect(config.rule_files.map((file) => [...prometheus.values()].includes(file))).toEqual(
      config.rule_files.map(() => true),
    );
    expect(prometheus.get('deploy/prometheus-alerts.yml')).toBe(config.rule_files[0]);
    const api = config.scrape_configs.find((job) =>
      job.dns_sd_configs?.some((sd) => sd.names.includes('api')),
    );
    expect(api?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(api?.dns_sd_configs).toEqual([expect.objectContaining({ type: 'A', port: 4000 })]);
  });

  test('runs Grafana with the Prometheus data source and the dashboard provisioned', () => {
    const grafana = mounts('grafana');
    expect(grafana.get('deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { type: string; url: string; uid: string }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parse(read('deploy/grafana/provisioning/dashboards/shelfwire.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(grafana.get('deploy/grafana/dashboards')).toBe(providers.providers[0]!.options.path);
    const uid = datasources.datasources[0]!.uid;
    for (const panel of dashboard.panels) {
      expect((panel as { datasource?: { uid?: string } }).datasource?.uid, panel.title).toBe(uid);
    }
  });

  test('every metric the dashboard and the alerts read is one /metrics exposes', async () => {
    const text = await (await fetch(metricsUrl(fixture.server))).text();
    const exposed = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exposed.add(name!);
      if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((s) => exposed.add(name + s));
    }
    const used = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
      ...alerts.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    ].flatMap(metricNames);
    expect(used.length).toBeGreaterThan(10);
    expect([...new Set(used)].filter((name) => !exposed.has(name))).toEqual([]);
    for (const name of [
      'shelfwire_subscribers',
      'shelfwire_deliveries_total',
      'shelfwire_delivery_latency_seconds_bucket',
      'shelfwire_change_log_lag_seconds',
      'shelfwire_listener_reconnects_total',
      'shelfwire_subscriptions_ended_total',
      'shelfwire_db_pool_waiting_clients',
    ]) {
      expect(used, name).toContain(name);
    }
  });
});
