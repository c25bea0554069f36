import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountResolver } from './account.resolver';
import { AuditEventDeviceResolver, SessionDeviceResolver } from './session-device.resolver';
import { AuditModule } from '../audit/audit.module';
import { formatGraphQLError } from './graphql-errors';

/**
 * `POST /graphql`, code-first, on Express and Fastify alike (Apollo's driver picks the
 * integration). No landing page or GraphiQL: the schema is documented in README, and a page
 * with inline scripts would need its own CSP. Mutations over GET are refused by Apollo (405),
 * and its CSRF prevention stays on beside the session library's check.
 */
@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      playground: false,
      graphiql: false,
      introspection: true,
      includeStacktraceInErrorResponses: false,
      // Errors are already GraphQL errors with our codes (HttpExceptionFilter → toGraphQLError).
      autoTransformHttpErrors: false,
      formatError: formatGraphQLError,
      // Apollo's stop drains the HTTP server. Run it after Nest has closed the socket.io server
      // and the HTTP server (dispose), not before (onModuleDestroy): on Fastify its drain waits
      // for every connection, and an open WebSocket would hold the shutdown for ever.
      stopOnApplicationShutdown: true,
    }),
    SessionsModule,
    AuditModule,
  ],
  providers: [AccountResolver, SessionDeviceResolver, AuditEventDeviceResolver],
})
export class GraphqlApiModule {}
