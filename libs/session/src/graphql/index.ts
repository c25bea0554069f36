/**
 * `@nest-session/core/graphql`: sessions in GraphQL resolvers. `SessionGuard`,
 * `@CurrentSession()` and `@RequireFreshSession()` from the root entry already work in resolvers;
 * this entry adds the error mapping they use. Needs the optional peer `graphql` (16 runs on
 * Node 20; 17 needs Node 22).
 */
export { SessionGraphQLCodes, toGraphQLError } from './session-graphql.errors';
