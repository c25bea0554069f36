import { Logger } from '@nestjs/common';
import { UserSessionsService } from '../../apps/sample-app/src/sessions/user-sessions.service';
import { bearer, DEFAULT_PASSWORD, newBearerSession, uniqueEmail } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

describe('error responses', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const postRaw = (path: string, body: string, type = 'application/json') =>
    app.http().post(path).set('Content-Type', type).send(body);

  it('malformed JSON answers 400 invalid_json', async () => {
    for (const body of ['{"email": ', '{email: "x"}', "{'a':1}", '{"a":1}}', 'nul']) {
      const response = await postRaw('/auth/register', body).expect(400);
      expectErrorBody(response.body, 400, 'invalid_json');
    }
  });

  it('a body over the 16 kB limit answers 413 payload_too_large', async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: 'p'.repeat(20 * 1024) });
    const response = await postRaw('/auth/register', body).expect(413);
    expectErrorBody(response.body, 413, 'payload_too_large');
  });

  it('an unknown route answers 404 not_found', async () => {
    const response = await app.http().get('/no/such/route').expect(404);
    expectErrorBody(response.body, 404, 'not_found');
    await app.http().put('/me').expect(404);
  });

  it('an unsupported body charset answers 415, not 500', async () => {
    const response = await postRaw('/auth/register', '{}', 'application/json; charset=iso-8859-1');
    expect(response.status).toBe(415);
    expectErrorBody(response.body, 415, 'unsupported_media_type');
  });

  it.each([
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['JSON null', 'null'],
    ['a nested object for the email', '{"email":{"$ne":null},"password":"12345678"}'],
    ['a prototype-pollution attempt', '{"__proto__":{"admin":true},"email":"a@b.test"}'],
  ])('%s answers a 4xx JSON error', async (_case, body) => {
    for (const path of ['/auth/register', '/auth/login']) {
      const response = await postRaw(path, body);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectErrorBody(response.body, response.status);
    }
  });

  it('a body that is not JSON at all is a validation error, not a crash', async () => {
    const response = await postRaw('/auth/login', 'email=a@b.test&password=x', 'text/plain');
    expectErrorBody(response.body, 400, 'validation_failed');
  });

  it.each([
    ['a NUL byte in the email', { email: 'a\u0000b@example.test', password: DEFAULT_PASSWORD }],
    ['an SQL fragment as the email', { email: "' OR 1=1 --@x.test", password: DEFAULT_PASSWORD }],
    ['right-to-left and zero-width characters', { email: '\u202e\u200b@x.test', password: 'x' }],
    ['a lone surrogate', { email: 'a\ud800@x.test', password: DEFAULT_PASSWORD }],
  ])('%s answers 400, never 500', async (_case, body) => {
    for (const path of ['/auth/register', '/auth/login', '/auth/token']) {
      const response = await app.http().post(path).send(body);
      expect([400, 401]).toContain(response.status);
      expectErrorBody(response.body, response.status);
    }
  });

  it('odd but valid characters in a password work end to end', async () => {
    const email = uniqueEmail();
    const password = 'pässwörd 🔑 \u0000 \u202e end';
    await app.http().post('/auth/register').send({ email, password }).expect(201);
    await app.http().post('/auth/login').send({ email, password }).expect(200);
  });

  it.each(['/sessions/%E0%A4%A', '/me/%00', '/%ff', '/sessions/%2e%2e%2f'])(
    'the odd path %s answers a 4xx JSON error',
    async (path) => {
      const { token } = await newBearerSession(app);
      const response = await app.http().delete(path).set('Authorization', bearer(token));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectErrorBody(response.body, response.status);
    },
  );

  it('an unexpected failure answers 500 internal_error with a generic message and no details', async () => {
    const { token } = await newBearerSession(app);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest
      .spyOn(app.app.get(UserSessionsService), 'list')
      .mockRejectedValue(new Error('SECRET: relation "users" does not exist at /srv/app.ts:12:3'));
    const response = await app
      .http()
      .get('/sessions')
      .set('Authorization', bearer(token))
      .expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'internal_error',
      message: 'Internal server error.',
    });
    expect(response.text).not.toContain('SECRET');
    // ...while the server log keeps the details for whoever debugs it.
    expect(JSON.stringify(logged.mock.calls)).toContain('SECRET');
  });

  it('does not announce the framework', async () => {
    const response = await app.http().get('/health');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
