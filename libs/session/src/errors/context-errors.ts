/**
 * A refusal in the kind of error the context's transport reports: an HttpException for HTTP, a
 * GraphQLError with `extensions.code` for GraphQL, a WsException for WebSockets, an
 * RpcException for microservices. Each kind's package is loaded only when a context of that
 * kind occurs — which means the app has it installed — so the root entry depends on none.
 */
export async function errorForContext(type: string, error: unknown): Promise<unknown> {
  switch (type) {
    case 'http':
      return error;
    case 'graphql':
      return (await import('../graphql/session-graphql.errors')).toGraphQLError(error);
    case 'ws':
      return (await import('../websocket/session-ws.errors')).toWsException(error);
    default:
      return (await import('../rpc/session-rpc.errors')).toRpcException(error);
  }
}
