import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse } from 'dotenv';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const STORAGE_DRIVERS = ['local', 'postgres', 's3'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

/** An S3-compatible bucket (AWS, MinIO, Ceph, R2, ...). */
export interface S3Settings {
  bucket: string;
  /** The store's URL; null: AWS S3 in `region`. */
  endpoint: string | null;
  region: string;
  /** Both or neither; neither: the AWS SDK's default credential chain (AWS_* variables, instance roles). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`, as most self-hosted stores need. */
  forcePathStyle: boolean;
  /** Start of every object key, so that the bucket can hold other things too. */
  prefix: string;
}
export type TrustProxy = boolean | number | string[];

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
  /** Express's `trust proxy`: false, true, a hop count, or addresses/CIDRs of the trusted proxies. */
  trustProxy: TrustProxy;
  /** Adds `Secure` to the pages' session cookie even when the app sees plain HTTP. */
  cookieSecure: boolean;
  logLevel: LogLevel;
  limits: {
    messageBodyLength: number;
    jsonBodyBytes: number;
    uploadBytes: number;
    imagePixels: number;
    palettePixels: number;
    seenIdsPerCall: number;
  };
  auth: {
    maxFailures: number;
    failureWindowSeconds: number;
  };
  /** Abuse limits: sustained rates, bursts and windows (seconds) per user or client address. */
  rateLimits: {
    messagesPerSecond: number;
    messagesBurst: number;
    uploadsPerWindow: number;
    uploadWindowSeconds: number;
    registrationsPerWindow: number;
    registrationWindowSeconds: number;
    connectionsPerUser: number;
  };
  images: {
    /** Images decoded and re-encoded at once. */
    concurrency: number;
    /** Uploads that may wait for a turn; more answer 503. */
    queueLength: number;
    /** CPU time one image may take, seconds. */
    timeoutSeconds: number;
  };
  ws: {
    heartbeatMs: number;
    maxBufferedBytes: number;
    presenceGraceMs: number;
    membershipRecheckMs: number;
  };
  exposeQueryCount: boolean;
  storage: {
    driver: StorageDriver;
    /** Public base URL of files (a CDN); null: served by the app under PUBLIC_URL. */
    mediaBaseUrl: string | null;
    /** Null when S3_BUCKET is unset (allowed unless the s3 driver is used). */
    s3: S3Settings | null;
  };
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

  /**
   * What Express's `trust proxy` takes: true/false, a hop count, or a comma-separated list of
   * addresses, CIDR ranges and the names loopback, linklocal and uniquelocal.
   */
  trustProxy(name: string): TrustProxy {
    const value = this.raw(name);
    if (value === undefined || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) {
      return false;
    }
    if (['true', 'yes', 'on'].includes(value.toLowerCase())) {
      return true;
    }
    if (/^\d+$/.test(value)) {
      return this.int(name, 0, 1, 255);
    }
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isProxyAddress(entry));
    if (bad !== undefined) {
      throw new ConfigError(
        `${name} must be true, false, a hop count, or addresses/CIDRs separated by commas, got "${bad}"`,
      );
    }
    return entries;
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

function readS3Settings(read: EnvReader): S3Settings | null {
  const bucket = read.pattern(
    'S3_BUCKET',
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    '',
    'a bucket name (3 to 63 lowercase letters, digits, . or -)',
  );
  const accessKeyId = read.optionalString('S3_ACCESS_KEY_ID');
  const secretAccessKey = read.optionalString('S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  }
  const settings = {
    endpoint: read.url('S3_ENDPOINT', ['http:', 'https:']),
    region: read.pattern('S3_REGION', /^[A-Za-z0-9-]{1,64}$/, 'us-east-1', 'a region name such as us-east-1'),
    accessKeyId,
    secretAccessKey,
    forcePathStyle: read.bool('S3_FORCE_PATH_STYLE', false),
    prefix: read.pattern('S3_PREFIX', /^[A-Za-z0-9_./-]{1,200}$/, '', 'up to 200 letters, digits or _ . / -'),
  };
  return bucket === '' ? null : { bucket, ...settings };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or a name Express knows. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) {
    return true;
  }
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  return /^\d+$/.test(prefix) ? Number(prefix) <= (family === 4 ? 32 : 128) : family === 4 && isIP(prefix) === 4;
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
  const storage = {
    driver: read.oneOf('STORAGE', STORAGE_DRIVERS, 'local'),
    mediaBaseUrl: read.url('MEDIA_BASE_URL', ['http:', 'https:'])?.replace(/\/+$/, '') ?? null,
    s3: readS3Settings(read),
  };
  if (storage.driver === 's3' && storage.s3 === null) {
    throw new ConfigError('S3_BUCKET is required when STORAGE=s3');
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
    trustProxy: read.trustProxy('TRUST_PROXY'),
    cookieSecure: read.bool('COOKIE_SECURE', false),
    logLevel: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    limits: {
      messageBodyLength: read.int('MAX_MESSAGE_LENGTH', 10_000, 1),
      jsonBodyBytes: read.int('MAX_JSON_BYTES', 1024 * 1024, 1024),
      uploadBytes: read.int('MAX_UPLOAD_BYTES', 10 * 1024 * 1024, 1024),
      imagePixels: read.int('MAX_IMAGE_PIXELS', 40_000_000, 1),
      palettePixels: read.int('MAX_PALETTE_PIXELS', 10_000_000, 1),
      seenIdsPerCall: read.int('MAX_SEEN_IDS', 1000, 1),
    },
    auth: {
      maxFailures: read.int('AUTH_MAX_FAILURES', 10, 1),
      failureWindowSeconds: read.int('AUTH_FAILURE_WINDOW', 15 * 60, 1),
    },
    rateLimits: rateLimits(read),
    images: {
      concurrency: read.int('IMAGE_CONCURRENCY', availableParallelism(), 1, 256),
      queueLength: read.int('IMAGE_QUEUE_LENGTH', 2 * availableParallelism(), 0, 10_000),
      timeoutSeconds: read.int('IMAGE_TIMEOUT', 5, 1, 3600),
    },
    ws: {
      heartbeatMs: read.int('WS_HEARTBEAT_MS', 30_000, 100),
      maxBufferedBytes: read.int('WS_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 1024),
      presenceGraceMs: read.int('PRESENCE_GRACE_MS', 3_000, 0, 15_000),
      membershipRecheckMs: read.int('WS_MEMBERSHIP_RECHECK_MS', 30_000, 100),
    },
    exposeQueryCount: read.bool('EXPOSE_QUERY_COUNT', false),
    storage,
  };
}

function rateLimits(read: EnvReader): AppConfig['rateLimits'] {
  const messagesPerSecond = read.int('RATE_MESSAGES_PER_SECOND', 10, 1);
  const messagesBurst = read.int('RATE_MESSAGES_BURST', 30, 1);
  if (messagesBurst < messagesPerSecond) {
    throw new ConfigError('RATE_MESSAGES_BURST must be at least RATE_MESSAGES_PER_SECOND');
  }
  return {
    messagesPerSecond,
    messagesBurst,
    uploadsPerWindow: read.int('RATE_UPLOADS', 30, 1),
    uploadWindowSeconds: read.int('RATE_UPLOADS_WINDOW', 60, 1),
    registrationsPerWindow: read.int('RATE_REGISTRATIONS', 20, 1),
    registrationWindowSeconds: read.int('RATE_REGISTRATIONS_WINDOW', 3600, 1),
    connectionsPerUser: read.int('WS_MAX_CONNECTIONS_PER_USER', 20, 1),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
