import { maxAliasesRule, type MaxAliasesOptions } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { GraphQLError, type ValidationContext, getNamedType, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type ComplexityEstimatorArgs, createComplexityRule } from 'graphql-query-complexity';
import type { Limits } from '../config.ts';
import { DomainError } from '../errors.ts';

/** A connection's page size when `first` is left out (see the `books` and `bookings` fields). */
const defaultPageSize = 20;

/**
 * What a query may cost before it runs, decided on its text alone: tokens at parse time, then
 * depth, aliases, directives and cost at validation. Every transport parses and validates
 * through Yoga's envelop, so the same limits hold over HTTP, SSE and WebSocket.
 */
export function useQueryLimits(
  limits: Limits,
  options: { hideSuggestions: boolean },
): Plugin<{ params?: { variables?: Record<string, unknown> } }>[] {
  const tooComplex = (context: ValidationContext, error: GraphQLError) =>
    context.reportError(
      new DomainError('QUERY_TOO_COMPLEX', error.message.replace(/^Syntax Error: /, '')),
    );
  const armor: Pick<MaxAliasesOptions, 'onReject' | 'propagateOnRejection'> = {
    // Report the refusal as a validation error with our code, rather than throw out of validate.
    onReject: [(context, error) => context && tooComplex(context, error)],
    propagateOnRejection: false,
  };
  const plugins: Plugin<{ params?: { variables?: Record<string, unknown> } }>[] = [
    {
      onParse({ setParseFn }) {
        setParseFn((source, parseOptions) =>
          parseBounded(source, limits.maxQueryTokens, parseOptions),
        );
      },
      onValidate({ addValidationRule, context }) {
        addValidationRule(maxDepthRule({ n: limits.maxQueryDepth, ...armor }));
        addValidationRule(maxAliasesRule({ n: limits.maxQueryAliases, ...armor }));
        addValidationRule(maxDirectivesRule({ n: limits.maxQueryDirectives, ...armor }));
        addValidationRule(
          createComplexityRule({
            maximumComplexity: limits.maxQueryCost,
            variables: context.params?.variables ?? {},
            estimators: [listAwareCost],
            createError: (max, actual) =>
              new DomainError(
                'QUERY_TOO_COMPLEX',
                `This query costs ${actual}, more than the limit of ${max}: ask for fewer items or fields.`,
                { cost: actual, maxCost: max },
              ),
          }),
        );
      },
    },
  ];
  if (options.hideSuggestions) plugins.push(blockFieldSuggestionsPlugin());
  return plugins;
}

/**
 * graphql's parser with a token budget (so a huge or deeply nested document is refused before
 * the recursive descent can overflow the stack), and its failures marked as the client's.
 */
function parseBounded(source: Parameters<typeof parse>[0], maxTokens: number, options?: object) {
  try {
    return parse(source, { ...options, maxTokens });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new DomainError('GRAPHQL_PARSE_FAILED', 'Syntax Error: the document nests too deeply.');
    }
    if (error instanceof GraphQLError) {
      throw new DomainError('GRAPHQL_PARSE_FAILED', error.message, {
        locations: error.locations,
      });
    }
    throw error;
  }
}

/**
 * One per field, and a list's items as many times as it may hold: `first` for a connection
 * (its default page when left out), the number of `ids` for `nodes`.
 */
function listAwareCost({ args, field, childComplexity }: ComplexityEstimatorArgs): number {
  if (Array.isArray(args.ids)) return 1 + args.ids.length * childComplexity;
  if (getNamedType(field.type).name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? args.first : defaultPageSize;
    return 1 + Math.max(first, 1) * childComplexity;
  }
  return 1 + childComplexity;
}
