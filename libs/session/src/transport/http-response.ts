/**
 * The few response operations the library needs, on whatever the platform hands over: an Express
 * `Response`, a Fastify `FastifyReply` or Node's own `ServerResponse`. Nothing here may be
 * Express-only: on Fastify, `response.append` does not exist.
 */
export type SessionResponse = object;

interface ExpressLike {
  append(name: string, value: string): unknown;
  setHeader(name: string, value: string): unknown;
}
interface FastifyLike {
  header(name: string, value: string): unknown;
}
interface NodeLike {
  appendHeader(name: string, value: string): unknown;
  setHeader(name: string, value: string): unknown;
}

const has = <T>(value: object, method: keyof T): value is T & object =>
  typeof (value as Record<PropertyKey, unknown>)[method] === 'function';

/** Adds a header line, keeping earlier ones of the same name (`Set-Cookie`). */
export function appendHeader(response: SessionResponse, name: string, value: string): void {
  if (has<ExpressLike>(response, 'append')) response.append(name, value);
  // Fastify's reply.header() accumulates Set-Cookie values into a list and replaces the others.
  else if (has<FastifyLike>(response, 'header')) response.header(name, value);
  else if (has<NodeLike>(response, 'appendHeader')) response.appendHeader(name, value);
  else throw unsupported();
}

/** Sets a header, replacing any earlier value. */
export function setHeader(response: SessionResponse, name: string, value: string): void {
  if (has<ExpressLike>(response, 'setHeader')) response.setHeader(name, value);
  else if (has<FastifyLike>(response, 'header')) response.header(name, value);
  else throw unsupported();
}

function unsupported(): Error {
  return new TypeError(
    'nest-session: the response object is neither an Express Response, a Fastify reply nor a ' +
      'Node ServerResponse, so the session cookie cannot be written.',
  );
}
