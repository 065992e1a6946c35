import { useOpenTelemetry } from '@envelop/opentelemetry';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Plugin } from 'graphql-yoga';

export interface Tracing {
  /** The Yoga plugin that opens a span per operation; none when tracing is off. */
  plugins: Plugin[];
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry traces of GraphQL operations, exported over OTLP/HTTP to `endpoint`
 * (OTEL_EXPORTER_OTLP_ENDPOINT) when it is set; nothing at all when it is not. The provider is
 * this server's own, not registered globally, so several servers in one process stay apart.
 * Variables and results are left out of spans: they can hold users' data.
 */
export function createTracing(endpoint: string | undefined, serviceName: string): Tracing {
  if (!endpoint) return { plugins: [], shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
      ),
    ],
  });
  const plugin = useOpenTelemetry(
    { resolvers: false, variables: false, result: false, document: true },
    provider,
    undefined,
    undefined,
    serviceName,
  );
  return { plugins: [plugin as Plugin], shutdown: () => provider.shutdown() };
}
