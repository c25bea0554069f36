import { AppConfigError } from './app-config.error';
import { loadAppConfig } from './app-config';
import { toSessionModuleOptions } from './session.config';

describe('session security variables', () => {
  it('reads every variable into AppConfig.session and maps it to the SessionModule options', () => {
    const config = loadAppConfig({
      SESSION_REAUTH_SECONDS: '60',
      SESSION_ROTATION_INTERVAL_SECONDS: '900',
      SESSION_ROTATION_GRACE_SECONDS: '5',
      SESSION_ON_REPLAY: 'revoke-user-sessions',
      SESSION_ANOMALY_ACTION: 'revoke',
      CSRF_ALLOWED_ORIGINS: ' https://App.Example.com , http://localhost:8080 ,',
      SESSION_CACHE_TTL_SECONDS: '30',
    });
    expect(config.session).toMatchObject({
      reauthSeconds: 60,
      rotationIntervalSeconds: 900,
      rotationGraceSeconds: 5,
      onReplay: 'revoke-user-sessions',
      anomalyAction: 'revoke',
      csrfAllowedOrigins: ['https://app.example.com', 'http://localhost:8080'],
      cacheTtlSeconds: 30,
    });
    expect(
      toSessionModuleOptions(
        config,
        { ofSession: () => Promise.resolve(null) },
        { locate: () => Promise.resolve(null) },
      ),
    ).toMatchObject({
      cache: { ttl: 30 },
      reauthWindow: 60,
      rotationInterval: 900,
      rotationGrace: 5,
      onReplay: 'revoke-user-sessions',
      csrf: { allowedOrigins: ['https://app.example.com', 'http://localhost:8080'] },
      anomaly: {
        actions: {
          user_agent_changed: 'revoke',
          ip_changed: 'revoke',
          concurrent_locations: 'revoke',
          country_changed: 'revoke',
          impossible_travel: 'revoke',
        },
        maxTravelSpeed: 1000,
      },
    });
  });

  it.each([
    ['SESSION_REAUTH_SECONDS', '0'],
    ['SESSION_REAUTH_SECONDS', '5m'],
    ['SESSION_ROTATION_INTERVAL_SECONDS', '-1'],
    ['SESSION_ROTATION_GRACE_SECONDS', '1.5'],
    ['SESSION_ON_REPLAY', 'revoke'],
    ['SESSION_ANOMALY_ACTION', 'block'],
    ['SESSION_CACHE_TTL_SECONDS', '-5'],
    ['CSRF_ALLOWED_ORIGINS', 'app.example.com'],
    ['CSRF_ALLOWED_ORIGINS', 'https://app.example.com/'],
    ['CSRF_ALLOWED_ORIGINS', 'https://app.example.com/path'],
    ['CSRF_ALLOWED_ORIGINS', 'https://ok.example,ftp://files.example'],
    ['CSRF_ALLOWED_ORIGINS', 'https://user:pw@app.example.com'],
  ])('rejects %s=%p with an error naming the variable', (name, value) => {
    const load = () => loadAppConfig({ [name]: value });
    expect(load).toThrow(AppConfigError);
    expect(load).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
