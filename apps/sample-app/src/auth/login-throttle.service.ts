import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { RateLimiters } from '../throttle/rate-limiters';
import { TooManyAttemptsException } from './too-many-attempts.exception';

/** First block once an account and address reach LOGIN_MAX_FAILURES; each later round doubles it. */
const FIRST_BLOCK_SECONDS = 30;
/** How long the number of blocks of a pair is remembered (the exponent of the back-off). */
const BACKOFF_MEMORY_SECONDS = 24 * 3600;

/**
 * Slows password guessing down (ASVS 4.0.3 2.2.1 / 5.0 6.3.1). One counter per account and client
 * ip, shared by login, token, re-authentication and every other password check; one per ip across
 * accounts (credential stuffing); one for registrations per ip. A refused attempt is answered
 * before any password is hashed and does not count as a failure.
 *
 * Back-off: after LOGIN_MAX_FAILURES failures within LOGIN_FAILURE_WINDOW_SECONDS the pair is
 * blocked for 30 s, and each further round of failures doubles the block (at most the window).
 * A success resets the pair.
 */
@Injectable()
export class LoginThrottle {
  private readonly pairFailures: RateLimiterAbstract;
  private readonly pairBlocks: RateLimiterAbstract;
  private readonly ipFailures: RateLimiterAbstract;
  private readonly registrations: RateLimiterAbstract;
  private readonly maxBlockSeconds: number;

  constructor(limiters: RateLimiters, configService: ConfigService) {
    const limits = appConfigFrom(configService as unknown as AppConfigService).loginLimits;
    this.maxBlockSeconds = limits.failureWindowSeconds;
    this.pairFailures = limiters.create({
      keyPrefix: 'login-pair',
      points: limits.maxFailures,
      duration: limits.failureWindowSeconds,
    });
    this.pairBlocks = limiters.create({
      keyPrefix: 'login-pair-blocks',
      points: Number.MAX_SAFE_INTEGER,
      duration: BACKOFF_MEMORY_SECONDS,
    });
    this.ipFailures = limiters.create({
      keyPrefix: 'login-ip',
      points: limits.maxFailuresPerIp,
      duration: limits.failureWindowSeconds,
    });
    this.registrations = limiters.create({
      keyPrefix: 'register-ip',
      points: limits.registerMaxPerIp,
      duration: 3600,
    });
  }

  /** Throws 429 when this account from this ip, or this ip, may not try now. */
  async admit(email: string, ip: string | null): Promise<void> {
    const [pair, byIp] = await Promise.all([
      this.pairFailures.get(pairKey(email, ip)),
      this.ipFailures.get(ipKey(ip)),
    ]);
    const waits = [pair, byIp]
      .filter(
        (res): res is RateLimiterRes =>
          res !== null && isExhausted(res, res === pair ? this.pairFailures : this.ipFailures),
      )
      .map((res) => res.msBeforeNext);
    if (waits.length > 0) throw new TooManyAttemptsException(Math.ceil(Math.max(...waits) / 1000));
  }

  /**
   * Counts a failed password check. Returns the seconds the pair is now blocked for, or null.
   */
  async failed(email: string, ip: string | null): Promise<number | null> {
    const key = pairKey(email, ip);
    const [pair] = await Promise.all([
      consume(this.pairFailures, key),
      consume(this.ipFailures, ipKey(ip)),
    ]);
    if (pair.consumedPoints < this.pairFailures.points) return null;
    const rounds = (await consume(this.pairBlocks, key)).consumedPoints;
    const seconds = Math.min(FIRST_BLOCK_SECONDS * 2 ** (rounds - 1), this.maxBlockSeconds);
    await this.pairFailures.block(key, seconds);
    return seconds;
  }

  /** A successful password check resets the pair (the per-ip count stays). */
  async succeeded(email: string, ip: string | null): Promise<void> {
    const key = pairKey(email, ip);
    await Promise.all([this.pairFailures.delete(key), this.pairBlocks.delete(key)]);
  }

  /** Counts a registration attempt of this ip; throws 429 beyond REGISTER_MAX_PER_IP an hour. */
  async admitRegistration(ip: string | null): Promise<void> {
    const res = await consume(this.registrations, ipKey(ip));
    if (res.consumedPoints > this.registrations.points) {
      throw new TooManyAttemptsException(Math.ceil(res.msBeforeNext / 1000));
    }
  }
}

/** rate-limiter-flexible rejects with the result once points run out; both outcomes carry it. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}

function isExhausted(res: RateLimiterRes, limiter: RateLimiterAbstract): boolean {
  return res.consumedPoints >= limiter.points && res.msBeforeNext > 0;
}

/**
 * Counter keys hold no email or address in clear (the table is readable by operators), and stay
 * within the store's 255 characters whatever the email's length.
 */
function pairKey(email: string, ip: string | null): string {
  return createHash('sha256')
    .update(`${email.toLowerCase()}\n${ip ?? ''}`)
    .digest('base64url');
}

function ipKey(ip: string | null): string {
  return createHash('sha256')
    .update(ip ?? '')
    .digest('base64url');
}
