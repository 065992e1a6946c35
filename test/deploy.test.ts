// The container setup, checked from its files: CI has no Docker engine, so docker-compose.yml is
// parsed as YAML, deploy/nginx.conf with a small nginx-syntax parser, the Dockerfile by lines.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const repoFile = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));
const read = (name: string) => readFileSync(repoFile(name), 'utf8');

// ---- docker-compose.yml -------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  deploy?: { replicas?: number };
  restart?: string;
  ports?: (string | { target?: number; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as ComposeFile;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as a map, whichever of the two Compose forms the file uses. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
}

/** The condition each dependency waits for ("service_started" for the short list form). */
function dependencies(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec.condition]));
}

const healthcheckCommand = (name: string) => {
  const test = service(name).healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
};

/** "${VAR:-default}" as Compose would fill it in with VAR unset (and "${VAR:?msg}" as "VAR"). */
const withDefaults = (value: string) =>
  value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) =>
    op === '-' ? (arg ?? '') : name,
  );

/** Seconds in a Compose or nginx duration such as "30s", "1m30s" or "1h". */
function seconds(duration: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)?/g)];
  if (parts.length === 0) throw new Error(`not a duration: ${duration}`);
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * units[unit ?? 's']!, 0);
}

describe('docker-compose.yml', () => {
  test('defines Postgres, a one-shot migration, the API and the proxy', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'migrate', 'api', 'proxy']),
    );
  });

  test('runs Postgres 18 on a named volume and reports it healthy with pg_isready', () => {
    const postgres = service('postgres');
    expect(postgres.image).toMatch(/^postgres:18\b/);
    const mounts = (postgres.volumes ?? []).map((volume) =>
      typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`,
    );
    const dataMount = mounts.find((mount) => mount.split(':')[1] === '/var/lib/postgresql');
    expect(dataMount, 'Postgres 18 images keep PGDATA under /var/lib/postgresql').toBeDefined();
    const volumeName = dataMount!.split(':')[0]!;
    expect(volumeName).not.toMatch(/^[./~]/); // a named volume, not a bind mount
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
    expect(healthcheckCommand('postgres')).toContain('pg_isready');
  });

  test('migrates once Postgres is healthy, from the API image, and is never restarted', () => {
    const migrate = service('migrate');
    expect(migrate.command).toEqual(['node', 'server/db/migrateCli.ts']);
    expect(dependencies('migrate').postgres).toBe('service_healthy');
    expect(migrate.restart).toBe('no');
    expect(migrate.image).toBeDefined();
    expect(migrate.image).toBe(service('api').image);
  });

  test('runs two API replicas, started only after the migration completed successfully', () => {
    expect(service('api').deploy?.replicas).toBe(2);
    expect(dependencies('api')).toMatchObject({
      migrate: 'service_completed_successfully',
      postgres: 'service_healthy',
    });
  });

  test('publishes no host port for the API, so its replicas cannot collide', () => {
    expect(service('api').ports ?? []).toEqual([]);
  });

  test('health-checks each API replica on /health and leaves it time to drain after SIGTERM', () => {
    expect(healthcheckCommand('api')).toMatch(/http:\/\/(127\.0\.0\.1|localhost):4000\/health/);
    expect(service('api').healthcheck?.disable).not.toBe(true);
    const grace = service('api').stop_grace_period;
    expect(grace).toBeDefined();
    expect(seconds(grace!)).toBeGreaterThanOrEqual(10);
  });

  test('refuses to start the API unless JWT_SECRET is set, and runs it in production mode', () => {
    const env = environment('api');
    expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
    expect(env.NODE_ENV).toBe('production');
  });

  test('points DATABASE_URL of the API and of the migration at the postgres service', () => {
    for (const name of ['api', 'migrate']) {
      const url = new URL(withDefaults(environment(name).DATABASE_URL ?? ''));
      expect(url.protocol, name).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname, name).toBe('postgres');
      expect(url.pathname, name).toBe(`/${environment('postgres').POSTGRES_DB}`);
      expect(url.username, name).toBe(environment('postgres').POSTGRES_USER);
    }
  });

  test('publishes the proxy on a host port, with deploy/nginx.conf, once the API is healthy', () => {
    const proxy = service('proxy');
    expect(proxy.image).toMatch(/^nginx:/);
    const ports = (proxy.ports ?? []).map((port) =>
      typeof port === 'string' ? withDefaults(port) : `${port.published}:${port.target}`,
    );
    expect(ports).toContainEqual(expect.stringMatching(/^\d+:80$/));
    expect(proxy.volumes).toContainEqual(
      expect.stringMatching(/^\.\/deploy\/nginx\.conf:\/etc\/nginx\/nginx\.conf(:ro)?$/),
    );
    expect(existsSync(repoFile('deploy/nginx.conf'))).toBe(true);
    expect(dependencies('proxy').api).toBe('service_healthy');
    expect(healthcheckCommand('proxy')).not.toBe('');
  });
});

// ---- deploy/nginx.conf --------------------------------------------------------------------

/** One nginx directive: its name, arguments and, for a block, the directives inside. */
interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/** Parses nginx configuration syntax: words, quoted strings, `;`, `{ }` and `#` comments. */
function parseNginx(text: string): Directive[] {
  const tokens = [...text.matchAll(/#[^\n]*|"(?:\\.|[^"])*"|'(?:\\.|[^'])*'|[{};]|[^\s{};"'#]+/g)]
    .map(([token]) => token)
    .filter((token) => !token.startsWith('#'))
    .map((token) => (/^["']/.test(token) ? token.slice(1, -1) : token));
  let at = 0;
  const parseBlock = (): Directive[] => {
    const directives: Directive[] = [];
    while (at < tokens.length && tokens[at] !== '}') {
      const words: string[] = [];
      while (at < tokens.length && !['{', ';', '}'].includes(tokens[at]!))
        words.push(tokens[at++]!);
      const [name, ...args] = words;
      if (name === undefined) throw new Error(`nginx.conf: stray "${tokens[at]}"`);
      if (tokens[at] === '{') {
        at++;
        directives.push({ name, args, block: parseBlock() });
        if (tokens[at++] !== '}') throw new Error(`nginx.conf: unclosed block "${name}"`);
      } else if (tokens[at] === ';') {
        at++;
        directives.push({ name, args });
      } else {
        throw new Error(`nginx.conf: "${name}" ends without ";"`);
      }
    }
    return directives;
  };
  const directives = parseBlock();
  if (at !== tokens.length) throw new Error('nginx.conf: unbalanced "}"');
  return directives;
}

const all = (within: Directive[], name: string) => within.filter((d) => d.name === name);
const one = (within: Directive[], name: string, ...args: string[]): Directive => {
  const found = all(within, name).filter((d) => args.every((arg, i) => d.args[i] === arg));
  if (found.length !== 1) throw new Error(`expected one "${[name, ...args].join(' ')}"`);
  return found[0]!;
};
const body = (directive: Directive) => directive.block ?? [];
/** The arguments of `name` in `within`, or undefined when it is not set there. */
const setting = (within: Directive[], name: string) => all(within, name).at(-1)?.args;

const nginx = parseNginx(read('deploy/nginx.conf'));
const http = body(one(nginx, 'http'));
const server = body(one(http, 'server'));
const location = (...args: string[]) => body(one(server, 'location', ...args));
const upstream = (name: string) => body(one(http, 'upstream', name));
/** The upstream a location proxies to. */
const upstreamOf = (within: Directive[]) => {
  const target = setting(within, 'proxy_pass')?.[0] ?? '';
  return /^http:\/\/([\w-]+)$/.exec(target)?.[1] ?? `not an upstream: ${target}`;
};

const streamLocation = location('=', '/graphql/stream');
const graphqlLocation = location('/graphql');
const rootLocation = location('/');
const streamingLocations = { '/graphql': graphqlLocation, '/graphql/stream': streamLocation };

describe('deploy/nginx.conf', () => {
  test('balances /graphql and the other routes round-robin over every api replica', () => {
    const roundRobin = upstreamOf(graphqlLocation);
    expect(upstreamOf(rootLocation)).toBe(roundRobin);
    const balancer = upstream(roundRobin);
    for (const method of ['hash', 'ip_hash', 'least_conn', 'random']) {
      expect(setting(balancer, method), method).toBeUndefined();
    }
    // The service name resolves to all replicas; `resolve` re-reads it through Docker's DNS.
    const [address, ...params] = setting(balancer, 'server')!;
    expect(address).toBe('api:4000');
    expect(params).toContain('resolve');
    expect(setting(balancer, 'zone')).toBeDefined();
    expect(setting(http, 'resolver')?.[0]).toBe('127.0.0.11');
  });

  test('routes /graphql/stream sticky, so a graphql-sse reservation stays on its instance', () => {
    const sticky = upstream(upstreamOf(streamLocation));
    const hash = setting(sticky, 'hash');
    const ipHash = setting(sticky, 'ip_hash');
    expect(hash ?? ipHash, 'hash or ip_hash').toBeDefined();
    if (hash) expect(hash).toContain('consistent');
    expect(setting(sticky, 'server')?.[0]).toBe('api:4000');
    expect(upstreamOf(streamLocation)).not.toBe(upstreamOf(graphqlLocation));
  });

  test('passes WebSocket upgrades through to the replicas over HTTP/1.1', () => {
    expect(setting(server, 'proxy_http_version')).toEqual(['1.1']);
    const headers = all(server, 'proxy_set_header').map((d) => d.args.join(' '));
    expect(headers).toContain('Upgrade $http_upgrade');
    expect(headers).toContain('Connection $connection_upgrade');
    const map = body(one(http, 'map', '$http_upgrade', '$connection_upgrade'));
    expect(setting(map, 'default')).toEqual(['upgrade']);
    for (const [path, within] of Object.entries(streamingLocations)) {
      // A location with any proxy_set_header of its own would drop the server's headers.
      expect(setting(within, 'proxy_set_header'), path).toBeUndefined();
      expect(setting(within, 'proxy_http_version') ?? ['1.1'], path).toEqual(['1.1']);
    }
  });

  test('streams SSE unbuffered, with long read timeouts, on /graphql and /graphql/stream', () => {
    for (const [path, within] of Object.entries(streamingLocations)) {
      expect(setting(within, 'proxy_buffering'), path).toEqual(['off']);
      expect(
        seconds(setting(within, 'proxy_read_timeout')?.[0] ?? '60s'),
        path,
      ).toBeGreaterThanOrEqual(600);
      expect(setting(within, 'add_header'), path).toEqual(['X-Accel-Buffering', 'no', 'always']);
    }
  });

  test('never gzips an event stream', () => {
    expect(setting(streamLocation, 'gzip')).toEqual(['off']);
    const gzipTypes = [http, server, graphqlLocation, streamLocation].flatMap(
      (within) => setting(within, 'gzip_types') ?? [],
    );
    expect(gzipTypes).not.toContain('text/event-stream');
    expect(gzipTypes).not.toContain('*');
  });

  test('skips a replica that refuses connections, so clients reconnect to another one', () => {
    for (const name of all(http, 'upstream').map((d) => d.args[0]!)) {
      const params = setting(upstream(name), 'server')!.slice(1);
      expect(params, name).toContainEqual(expect.stringMatching(/^max_fails=[1-9]/));
      expect(params, name).toContainEqual(expect.stringMatching(/^fail_timeout=/));
    }
    expect(setting(server, 'proxy_next_upstream') ?? ['error', 'timeout']).toContain('error');
    expect(seconds(setting(server, 'proxy_connect_timeout')?.[0] ?? '60s')).toBeLessThanOrEqual(5);
  });
});

// ---- Dockerfile ---------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions grouped by stage, with continuations joined, comments dropped. */
function dockerStages(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const stages = dockerStages(read('Dockerfile'));
const runtime = stages.at(-1) ?? [];
const inRuntime = (keyword: string) =>
  runtime.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  test('builds in stages on the official Node 24 slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages)
      expect(stage[0]?.args).toMatch(/^node:24-(bookworm-|trixie-)?slim\b/);
  });

  test('installs only the production dependencies into the runtime image', () => {
    const installs = stages.flat().filter((i) => i.keyword === 'RUN' && /npm ci\b/.test(i.args));
    expect(installs.some((i) => i.args.includes('--omit=dev'))).toBe(true);
    expect(inRuntime('COPY')).toContainEqual(expect.stringMatching(/^--from=\S+ \S*node_modules /));
    expect(inRuntime('RUN').join(' ')).not.toMatch(/npm (ci|install)/);
  });

  test('builds the web page when the project has a build:web script', () => {
    const runs = stages
      .flat()
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args);
    expect(runs).toContainEqual(expect.stringContaining('npm run build:web --if-present'));
  });

  test('ships package.json, the server, the migrations and the schema', () => {
    const copied = inRuntime('COPY').map((args) => args.split(/\s+/)[0]);
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'server', 'migrations', 'schema']),
    );
  });

  test('runs as the unprivileged node user with NODE_ENV=production', () => {
    expect(inRuntime('USER').at(-1)).toBe('node');
    expect(inRuntime('ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
  });

  test('health-checks /health and starts the server with node', () => {
    expect(inRuntime('HEALTHCHECK').join(' ')).toMatch(/\/health\b/);
    expect(inRuntime('CMD').at(-1)).toBe('["node", "server/main.ts"]');
  });

  test('keeps node_modules, local data and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.data', '.env', '.git']));
  });
});
