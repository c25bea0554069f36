import { startTestApp, type TestApp } from '../support/test-app';

interface Operation {
  summary?: string;
  tags?: string[];
  responses: Record<
    string,
    { content?: Record<string, { schema?: { $ref?: string } }>; headers?: Record<string, unknown> }
  >;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: unknown;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    securitySchemes: Record<
      string,
      { type: string; in?: string; name?: string; scheme?: string; bearerFormat?: string }
    >;
  };
}

const SESSION = ['401', '503'];
const BODY = ['400', '413'];
const CSRF = ['403'];

/** The README's HTTP contract: every route, and the error statuses it documents. */
const CONTRACT: Array<[method: string, path: string, success: string, errors: string[]]> = [
  ['get', '/health', '200', ['503']],
  ['get', '/health/live', '200', []],
  ['get', '/health/ready', '200', ['503']],
  ['get', '/metrics', '200', ['401']],
  ['post', '/auth/register', '201', [...BODY, '409', '503']],
  ['post', '/auth/login', '200', [...BODY, '401', '409', '503']],
  ['post', '/auth/token', '200', [...BODY, '401', '409', '503']],
  ['post', '/auth/logout', '204', [...SESSION, ...CSRF]],
  ['post', '/auth/password', '200', [...SESSION, ...CSRF, ...BODY]],
  ['post', '/auth/reauth', '200', [...SESSION, ...CSRF, ...BODY]],
  ['get', '/auth/csrf', '200', SESSION],
  ['get', '/me', '200', SESSION],
  ['get', '/sessions', '200', SESSION],
  ['delete', '/sessions', '204', [...SESSION, ...CSRF]],
  ['delete', '/sessions/{id}', '204', [...SESSION, ...CSRF, '404']],
  ['get', '/audit', '200', SESSION],
  ['delete', '/account', '204', [...SESSION, ...CSRF, ...BODY]],
  ['get', '/passport/me', '200', SESSION],
];

/** The OpenAPI document at /docs-json and Swagger UI at /docs, under the app's CSP. */
describe('OpenAPI', () => {
  let app: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    app = await startTestApp();
    doc = (await app.http().get('/docs-json').expect(200)).body as OpenApiDocument;
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(CONTRACT)(
    'documents %s %s with its success and error statuses',
    (method, path, ok, errors) => {
      const operation = doc.paths[path]?.[method];
      expect(operation).toBeDefined();
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining([ok, ...errors]));
      for (const status of errors) {
        // Every error references the one error schema.
        expect(operation.responses[status].content?.['application/json']?.schema?.$ref).toBe(
          '#/components/schemas/ApiErrorSchema',
        );
      }
    },
  );

  it('describes the error body once, as { statusCode, error, message }', () => {
    expect(Object.keys(doc.components.schemas.ApiErrorSchema.properties ?? {}).sort()).toEqual([
      'error',
      'message',
      'statusCode',
    ]);
  });

  it('declares the cookie and bearer schemes, and the CSRF header on unsafe session routes', () => {
    expect(doc.components.securitySchemes['session-cookie']).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'cookie', name: '__Host-sid' }),
    );
    expect(doc.components.securitySchemes['session-token']).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    // 403 csrf_failed is what an unsafe cookie route answers without the header.
    for (const [method, path, , errors] of CONTRACT) {
      if (errors.includes('403')) {
        expect(doc.paths[path][method].parameters).toEqual(
          expect.arrayContaining([expect.objectContaining({ name: 'X-CSRF-Token', in: 'header' })]),
        );
      }
    }
    expect(doc.paths['/me'].get.security).toEqual([
      { 'session-cookie': [] },
      { 'session-token': [] },
    ]);
    expect(doc.paths['/auth/login'].post.security).toBeUndefined();
  });

  it('gives every operation a summary and exactly one tag', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        at: `${method} ${path}`,
        operation,
      })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(CONTRACT.length);
    for (const { at, operation } of operations) {
      expect({ at, summary: typeof operation.summary }).toEqual({ at, summary: 'string' });
      expect({ at, tags: operation.tags?.length }).toEqual({ at, tags: 1 });
    }
  });

  it('says the bearer token is opaque (not a JWT) and how /metrics and /health/ready are protected', () => {
    expect(doc.components.securitySchemes['session-token'].bearerFormat).toBe('opaque');
    expect(doc.components.securitySchemes['metrics-token']).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(doc.paths['/metrics'].get.security).toEqual([{ 'metrics-token': [] }]);
    expect(doc.paths['/health/ready'].get.security).toEqual(
      expect.arrayContaining([{}, { 'metrics-token': [] }]),
    );
  });

  it('declares Set-Cookie and Cache-Control where they are sent', () => {
    const headersOf = (method: string, path: string, status: string) =>
      Object.keys(doc.paths[path][method].responses[status].headers ?? {}).sort();
    expect(headersOf('post', '/auth/login', '200')).toEqual(['Cache-Control', 'Set-Cookie']);
    expect(headersOf('post', '/auth/token', '200')).toEqual(['Cache-Control']);
    expect(headersOf('post', '/auth/logout', '204')).toEqual(['Cache-Control', 'Set-Cookie']);
    // Rotation: re-authentication and password change always, safe session routes when due.
    for (const [method, path] of [
      ['post', '/auth/password'],
      ['post', '/auth/reauth'],
    ]) {
      expect(headersOf(method, path, '200')).toEqual(['Cache-Control', 'Set-Cookie']);
    }
    for (const [method, path, ok] of CONTRACT) {
      const bySession = doc.paths[path][method].security?.some((s) => 'session-cookie' in s);
      if (!bySession) continue;
      expect(headersOf(method, path, ok)).toEqual(
        expect.arrayContaining(
          method === 'get' ? ['Cache-Control', 'Set-Cookie'] : ['Cache-Control'],
        ),
      );
    }
  });

  it('documents the request bodies (the DTOs)', () => {
    for (const [method, path] of [
      ['post', '/auth/register'],
      ['post', '/auth/login'],
      ['post', '/auth/token'],
      ['post', '/auth/password'],
      ['post', '/auth/reauth'],
      ['delete', '/account'],
    ]) {
      expect(doc.paths[path][method].requestBody).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas.LoginDto.properties ?? {}).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('serves Swagger UI at /docs with no inline script, its scripts from the app itself', async () => {
    const page = await app.http().get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="/);
      expect(body.trim()).toBe('');
    }
    for (const [, attributes] of scripts) {
      const src = /src="([^"]+)"/.exec(attributes)?.[1] as string;
      // Resolved against the page's URL, as a browser does.
      const script = await app.http().get(new URL(src, 'http://app/docs').pathname).expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
    }
  });

  it('keeps the strict CSP (no inline style) everywhere but /docs', async () => {
    const response = await app.http().get('/health').expect(200);
    expect(String(response.headers['content-security-policy'])).toContain("style-src 'self';");
  });
});
