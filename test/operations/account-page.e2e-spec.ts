import { expectErrorBody } from '../support/error-shape';
import { newCookieSession } from '../support/auth-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;" +
  "connect-src 'self';object-src 'none';frame-ancestors 'none';form-action 'self';base-uri 'none'";

describe('account page and security headers', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(() => app.close());

  it('serves the page at / without a session, under a strict CSP', async () => {
    const response = await app.http().get('/').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toBe(CSP);
    expect(response.text).toContain('id="login-form"');
    // No inline script or style: the CSP would block it, so the page must not depend on one.
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.text).not.toMatch(/\son[a-z]+=|\sstyle=/i);
  });

  it.each([
    ['/assets/app.js', /javascript/],
    ['/assets/app.css', /text\/css/],
    ['/vendor/socket.io.min.js', /javascript/],
  ])('serves %s', async (path, type) => {
    const response = await app.http().get(path).expect(200);
    expect(response.headers['content-type']).toMatch(type);
  });

  it('ships no user-agent parser to the browser: the server names the devices', async () => {
    const page = await app.http().get('/').expect(200);
    expect(page.text).not.toMatch(/ua-parser/);
    await app.http().get('/vendor/ua-parser.min.js').expect(404);
  });

  it("adds helmet's headers to JSON API answers and keeps them JSON", async () => {
    const { cookie } = await newCookieSession(app);
    const response = await app.http().get('/me').set('Cookie', cookie).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.user.email).toEqual(expect.any(String));
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': CSP,
    });
    expect(response.headers['x-powered-by']).toBeUndefined();

    const missing = await app.http().get('/no-such-route').expect(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expectErrorBody(missing.body, 404);
  });
});
