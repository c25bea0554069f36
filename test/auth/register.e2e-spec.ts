import { DEFAULT_PASSWORD, uniqueEmail } from '../support/auth-helpers';
import { expectErrorBody } from '../support/error-shape';
import { startTestApp, type TestApp } from '../support/test-app';

describe('POST /auth/register', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 201 { id, email } with the email lower-cased, and nothing else', async () => {
    const local = `New-${Date.now()}`;
    const response = await app
      .http()
      .post('/auth/register')
      .send({ email: `  ${local}@Example.TEST `, password: DEFAULT_PASSWORD })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      email: `${local.toLowerCase()}@example.test`,
    });
  });

  it('stores an argon2id hash, never the password', async () => {
    const email = uniqueEmail();
    await app.http().post('/auth/register').send({ email, password: DEFAULT_PASSWORD }).expect(201);
    const [row] = await app.dataSource.query('SELECT password_hash FROM users WHERE email = $1', [
      email,
    ]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(DEFAULT_PASSWORD);
  });

  it('answers 409 email_taken for an email already registered, whatever its case', async () => {
    const email = uniqueEmail();
    await app.http().post('/auth/register').send({ email, password: DEFAULT_PASSWORD }).expect(201);
    const response = await app
      .http()
      .post('/auth/register')
      .send({ email: email.toUpperCase(), password: 'another password' })
      .expect(409);
    expectErrorBody(response.body, 409, 'email_taken');
  });

  it('lets exactly one of two racing registrations of one email win', async () => {
    const email = uniqueEmail();
    const attempt = () =>
      app.http().post('/auth/register').send({ email, password: DEFAULT_PASSWORD });
    const statuses = (await Promise.all([attempt(), attempt(), attempt()])).map((r) => r.status);
    expect(statuses.sort()).toEqual([201, 409, 409]);
  });

  it.each([
    ['a missing email', { password: DEFAULT_PASSWORD }],
    ['an invalid email', { email: 'not-an-email', password: DEFAULT_PASSWORD }],
    ['an email that is not a string', { email: 42, password: DEFAULT_PASSWORD }],
    ['a missing password', { email: uniqueEmail() }],
    ['a password of 7 characters', { email: uniqueEmail(), password: '1234567' }],
    ['a password of 129 characters', { email: uniqueEmail(), password: 'x'.repeat(129) }],
    ['a password that is not a string', { email: uniqueEmail(), password: 12345678 }],
    ['an unknown field', { email: uniqueEmail(), password: DEFAULT_PASSWORD, admin: true }],
  ])('answers 400 validation_failed for %s', async (_case, body) => {
    const response = await app.http().post('/auth/register').send(body).expect(400);
    expectErrorBody(response.body, 400, 'validation_failed');
  });

  it('joins every validation message into one string', async () => {
    const response = await app
      .http()
      .post('/auth/register')
      .send({ email: 'nope', password: 'short' })
      .expect(400);
    expect(response.body.message).toContain('email');
    expect(response.body.message).toContain('password');
    expect(typeof response.body.message).toBe('string');
  });

  it('accepts passwords of exactly 8 and 128 characters', async () => {
    for (const password of ['12345678', 'y'.repeat(128)]) {
      await app.http().post('/auth/register').send({ email: uniqueEmail(), password }).expect(201);
    }
  });
});
