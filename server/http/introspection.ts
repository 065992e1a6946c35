import { GraphQLError, type ValidationRule, getNamedType, isIntrospectionType } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Refuses any field of an introspection type (`__schema`, `__type`); `__typename` stays. */
const introspectionRefused: ValidationRule = (context) => ({
  Field(node) {
    const type = getNamedType(context.getType());
    if (type && isIntrospectionType(type)) {
      context.reportError(
        new GraphQLError(
          `Introspection is off on this server (GRAPHQL_INTROSPECTION): "${node.name.value}" cannot be queried.`,
          { nodes: node, extensions: { code: 'INTROSPECTION_DISABLED' } },
        ),
      );
    }
  },
});

/**
 * Introspection only where GRAPHQL_INTROSPECTION allows it (by default outside production).
 * A validation rule, so it holds over HTTP and over WebSocket alike (the WebSocket transport
 * validates through `yoga.getEnveloped`); `@graphql-yoga/plugin-disable-introspection` decides
 * per `Request` and so lets WebSocket operations, which have none, through.
 */
export function useIntrospectionGate(allowed: boolean): Plugin {
  return {
    onValidate({ addValidationRule }) {
      if (!allowed) addValidationRule(introspectionRefused);
    },
  };
}
