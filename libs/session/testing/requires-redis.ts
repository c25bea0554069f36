import { execFileSync } from 'node:child_process';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether a Redis server answers at REDIS_URL. Jest collects tests synchronously, so the probe
 * runs in a short-lived child process (a PING with a 1 s budget) rather than with await.
 */
function redisAnswers(): boolean {
  const { hostname, port } = new URL(REDIS_URL);
  const probe = `
    const socket = require('node:net').connect(${Number(port) || 6379}, ${JSON.stringify(hostname)});
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));`;
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

let available: boolean | undefined;

/**
 * `describe` for tests that need a Redis server. Without one they are skipped, and the run says
 * so plainly — except under CI (CI=true), where Redis is always provided and its absence must
 * fail the run instead of hiding tests.
 */
export function describeWithRedis(title: string, body: () => void): void {
  available ??= redisAnswers();
  if (available || process.env.CI) {
    describe(title, body);
    return;
  }
  const reason = `needs Redis: nothing answers at ${REDIS_URL}`;
  console.warn(`SKIPPED "${title}": ${reason}.`);
  describe.skip(`${title} [SKIPPED: ${reason}]`, body);
}
