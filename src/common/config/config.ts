import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Prefix of file URLs (e.g. https://chat.example.com); empty: path-absolute URLs. */
  publicUrl: string;
  databaseUrl: string | null;
  /** Connections the app keeps to PostgreSQL (DATABASE_URL only; the embedded database has one session). */
  databasePoolSize: number;
  /** Parameterised statements prepared once per connection (DATABASE_URL only). */
  databasePreparedStatements: boolean;
  dataDir: string;
  redisUrl: string | null;
  /** Start of every Redis key and channel, so that several deployments can share one Redis. */
  redisPrefix: string;
  jwtSecret: string | null;
  jwtExpiresInSeconds: number;
  signupEnabled: boolean;
  trustProxy: boolean;
  logLevel: LogLevel;
  limits: {
    messageBodyLength: number;
    jsonBodyBytes: number;
    uploadBytes: number;
    imagePixels: number;
    seenIdsPerCall: number;
  };
  auth: {
    maxFailures: number;
    failureWindowSeconds: number;
  };
  ws: {
    heartbeatMs: number;
    maxBufferedBytes: number;
    presenceGraceMs: number;
    membershipRecheckMs: number;
    /** How often live sockets' token versions are read again (a revoked token's socket closes within it). */
    tokenRecheckMs: number;
  };
  exposeQueryCount: boolean;
}

/** Thrown for a bad environment variable; main() prints its one-line message and exits 1. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function readDotEnv(path: string): Env {
  return existsSync(path) ? parse(readFileSync(path)) : {};
}

class EnvReader {
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** A string of the given shape (`shape` says which, in the error). */
  pattern(name: string, pattern: RegExp, fallback: string, shape: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }
    if (!pattern.test(value)) {
      throw new ConfigError(`${name} must be ${shape}, got "${value}"`);
    }
    return value;
  }

  optionalString(name: string): string | null {
    return this.raw(name) ?? null;
  }

  int(name: string, fallback: number, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return Number(value);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) {
      return fallback;
    }
    if (['1', 'true', 'yes', 'on'].includes(value)) {
      return true;
    }
    if (['0', 'false', 'no', 'off'].includes(value)) {
      return false;
    }
    throw new ConfigError(`${name} must be true or false, got "${value}"`);
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }
    if (!(choices as readonly string[]).includes(value)) {
      throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  }

  url(name: string, protocols: readonly string[]): string | null {
    const value = this.raw(name);
    if (value === undefined) {
      return null;
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`${name} is not a valid URL`);
    }
    if (!protocols.includes(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError(`${name} must be a ${protocols.join(' or ')}// URL with a host`);
    }
    return value;
  }
}

/** Reads and validates the whole configuration once; `.env` in the working directory fills gaps. */
export function loadConfig(env: Env = process.env, dotEnvPath = resolve('.env')): AppConfig {
  const read = new EnvReader({ ...readDotEnv(dotEnvPath), ...env });
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const jwtSecret = read.optionalString('JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  }
  if (nodeEnv === 'production' && jwtSecret === null) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  }
  return {
    nodeEnv,
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST', '127.0.0.1'),
    publicUrl: (read.url('PUBLIC_URL', ['http:', 'https:']) ?? '').replace(/\/+$/, ''),
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 1000),
    databasePreparedStatements: read.bool('DATABASE_PREPARED_STATEMENTS', true),
    dataDir: resolve(read.string('DATA_DIR', './data')),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: read.pattern(
      'REDIS_PREFIX',
      /^[A-Za-z0-9_.:-]{1,64}$/,
      'dfchat',
      '1 to 64 letters, digits or _ . : -',
    ),
    jwtSecret,
    jwtExpiresInSeconds: read.int('JWT_EXPIRES_IN', 24 * 3600, 60, 365 * 24 * 3600),
    signupEnabled: read.bool('SIGNUP_ENABLED', true),
    trustProxy: read.bool('TRUST_PROXY', false),
    logLevel: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    limits: {
      messageBodyLength: read.int('MAX_MESSAGE_LENGTH', 10_000, 1),
      jsonBodyBytes: read.int('MAX_JSON_BYTES', 1024 * 1024, 1024),
      uploadBytes: read.int('MAX_UPLOAD_BYTES', 10 * 1024 * 1024, 1024),
      imagePixels: read.int('MAX_IMAGE_PIXELS', 40_000_000, 1),
      seenIdsPerCall: read.int('MAX_SEEN_IDS', 1000, 1),
    },
    auth: {
      maxFailures: read.int('AUTH_MAX_FAILURES', 10, 1),
      failureWindowSeconds: read.int('AUTH_FAILURE_WINDOW', 15 * 60, 1),
    },
    ws: {
      heartbeatMs: read.int('WS_HEARTBEAT_MS', 30_000, 100),
      maxBufferedBytes: read.int('WS_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 1024),
      presenceGraceMs: read.int('PRESENCE_GRACE_MS', 3_000, 0, 15_000),
      membershipRecheckMs: read.int('WS_MEMBERSHIP_RECHECK_MS', 30_000, 100),
      // At most 5 s: the contract closes a revoked token's socket within that.
      tokenRecheckMs: read.int('WS_TOKEN_RECHECK_MS', 2_000, 100, 5_000),
    },
    exposeQueryCount: read.bool('EXPOSE_QUERY_COUNT', false),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
