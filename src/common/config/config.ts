import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { z } from 'zod';

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
  /** Descriptors of the listening socket the process accepts on (`addAcceptLanes`). */
  acceptLanes: number;
  /** Prefix of file URLs (e.g. https://chat.example.com); empty: path-absolute URLs. */
  publicUrl: string;
  databaseUrl: string | null;
  /** Connections the app keeps to PostgreSQL (DATABASE_URL only; the embedded database has one session). */
  databasePoolSize: number;
  /** Parameterised statements prepared once per connection (DATABASE_URL only). */
  databasePreparedStatements: boolean;
  dataDir: string;
  redisUrl: string | null;
  /** Seed nodes (`host:port`) of a Redis Cluster that carries the realtime events (sharded pub/sub); null: REDIS_URL does. */
  redisCluster: { host: string; port: number }[] | null;
  /** Start of every Redis key and channel, so that several deployments can share one Redis. */
  redisPrefix: string;
  jwtSecret: string | null;
  jwtExpiresInSeconds: number;
  /** Lifetime of the short tokens the pages' scripts hold (minted from the session cookie). */
  pageTokenSeconds: number;
  signupEnabled: boolean;
  /** Express's `trust proxy`: false, true, a hop count, or addresses/CIDRs of the trusted proxies. */
  trustProxy: TrustProxy;
  /** Adds `Secure` to the pages' session cookie even when the app sees plain HTTP. */
  cookieSecure: boolean;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
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
    /** Client frames per websocket connection: sustained per second, and the burst above it. */
    framesPerSecond: number;
    framesBurst: number;
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
    /** How often live sockets' token versions are read again (a revoked token's socket closes within it). */
    tokenRecheckMs: number;
    /** How long a new connection holds back live changes for a `resume` that may come first. */
    resumeGraceMs: number;
  };
  /** The room change log: how long changes are kept for replay (seconds), and how often old ones are pruned (ms). */
  events: {
    retentionSeconds: number;
    pruneIntervalMs: number;
  };
  exposeQueryCount: boolean;
  /** PostgreSQL text search configuration for message search (lowercase; checked against the database at start). */
  searchLanguage: string;
  storage: {
    driver: StorageDriver;
    /** Public base URL of files (a CDN); null: served by the app under PUBLIC_URL. */
    mediaBaseUrl: string | null;
    /** Null when S3_BUCKET is unset (allowed unless the s3 driver is used). */
    s3: S3Settings | null;
  };
}

/** Thrown for bad environment variables; main() prints one line per variable and exits 1. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type Env = Record<string, string | undefined>;

function readDotEnv(path: string): Env {
  return existsSync(path) ? parse(readFileSync(path)) : {};
}

const got = (input: unknown): string => `got "${String(input)}"`;

const wholeNumber = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
  const error = (issue: { input?: unknown }) => `must be a whole number from ${min} to ${max}, ${got(issue.input)}`;
  return z
    .string()
    .regex(/^\d+$/, { error })
    .refine((value) => Number(value) >= min && Number(value) <= max, { error })
    .transform(Number)
    .default(fallback);
};

const flag = (fallback: boolean) =>
  z
    .stringbool({
      truthy: ['1', 'true', 'yes', 'on'],
      falsy: ['0', 'false', 'no', 'off'],
      case: 'insensitive',
      error: (issue) => `must be true or false, ${got(issue.input)}`,
    })
    .default(fallback);

const oneOf = <T extends string>(choices: readonly [T, ...T[]], fallback: T) =>
  z.enum(choices, { error: (issue) => `must be one of ${choices.join(', ')}, ${got(issue.input)}` }).default(fallback);

/** A URL of the given schemes with a host; the value is not repeated in the error (it may hold a password). */
const urlOf = (...schemes: string[]) =>
  z
    .url({
      protocol: new RegExp(`^(?:${schemes.join('|')})$`),
      hostname: /./,
      error: `must be a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL with a host`,
    })
    .nullable()
    .default(null);

/** `https://app.example.com, http://localhost:5173` → the origins, each exactly as a browser sends it. */
const origins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  )
  .refine((list) => list.every(isOrigin), {
    error: (issue) => `must be comma-separated origins such as https://app.example.com, ${got(issue.input)}`,
  })
  .default([]);

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
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

/** What Express's `trust proxy` takes: true/false, a hop count, or addresses, CIDR ranges and the names it knows. */
const trustProxy = z
  .string()
  .transform((value, context): TrustProxy => {
    const lower = value.toLowerCase();
    if (['0', 'false', 'no', 'off'].includes(lower)) {
      return false;
    }
    if (['true', 'yes', 'on'].includes(lower)) {
      return true;
    }
    if (/^\d+$/.test(value) && Number(value) <= 255) {
      return Number(value);
    }
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isProxyAddress(entry));
    if (bad !== undefined) {
      context.addIssue({
        code: 'custom',
        message: `must be true, false, a hop count, or addresses/CIDRs separated by commas, got "${bad}"`,
      });
      return z.NEVER;
    }
    return entries;
  })
  .default(false);

/** A string of the given shape (`shape` says which, in the error). */
const shaped = (pattern: RegExp, shape: string) =>
  z.string().regex(pattern, { error: (issue) => `must be ${shape}, ${got(issue.input)}` });

/** Every variable, parsed from the environment's text; unset (or blank) takes the default. */
const envSchema = z
  .object({
    NODE_ENV: oneOf(['development', 'production', 'test'], 'development'),
    PORT: wholeNumber(3000, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    ACCEPT_LANES: wholeNumber(32, 1, 256),
    PUBLIC_URL: urlOf('http', 'https'),
    DATABASE_URL: urlOf('postgres', 'postgresql'),
    DATABASE_POOL_SIZE: wholeNumber(10, 1, 1000),
    DATABASE_PREPARED_STATEMENTS: flag(true),
    DATA_DIR: z.string().default('./data'),
    REDIS_URL: urlOf('redis', 'rediss'),
    REDIS_CLUSTER: z
      .string()
      .nullable()
      .default(null)
      .refine(
        (value) => value === null || value.split(',').every((node) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(node.trim())),
        {
          error: 'must be host:port seed nodes separated by commas',
        },
      ),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, {
        error: (issue) => `must be 1 to 64 letters, digits or _ . : -, ${got(issue.input)}`,
      })
      .default('dfchat'),
    JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters long' }).nullable().default(null),
    JWT_EXPIRES_IN: wholeNumber(24 * 3600, 60, 365 * 24 * 3600),
    PAGE_TOKEN_SECONDS: wholeNumber(600, 1, 24 * 3600),
    SIGNUP_ENABLED: flag(true),
    TRUST_PROXY: trustProxy,
    COOKIE_SECURE: flag(false),
    CORS_ORIGINS: origins,
    LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'], 'info'),
    MAX_MESSAGE_LENGTH: wholeNumber(10_000, 1),
    MAX_JSON_BYTES: wholeNumber(1024 * 1024, 1024),
    MAX_UPLOAD_BYTES: wholeNumber(10 * 1024 * 1024, 1024),
    MAX_IMAGE_PIXELS: wholeNumber(40_000_000, 1),
    MAX_PALETTE_PIXELS: wholeNumber(10_000_000, 1),
    MAX_SEEN_IDS: wholeNumber(1000, 1),
    AUTH_MAX_FAILURES: wholeNumber(10, 1),
    AUTH_FAILURE_WINDOW: wholeNumber(15 * 60, 1),
    WS_HEARTBEAT_MS: wholeNumber(30_000, 100),
    WS_MAX_BUFFERED_BYTES: wholeNumber(4 * 1024 * 1024, 1024),
    PRESENCE_GRACE_MS: wholeNumber(3_000, 0, 15_000),
    WS_MEMBERSHIP_RECHECK_MS: wholeNumber(30_000, 100),
    // At most 5 s: the contract closes a revoked token's socket within that.
    WS_TOKEN_RECHECK_MS: wholeNumber(2_000, 100, 5_000),
    WS_RESUME_GRACE_MS: wholeNumber(500, 0, 10_000),
    EVENT_RETENTION: wholeNumber(7 * 24 * 3600, 1),
    EVENT_PRUNE_INTERVAL_MS: wholeNumber(3600_000, 100),
    EXPOSE_QUERY_COUNT: flag(false),
    SEARCH_LANGUAGE: shaped(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a text search configuration name').default('simple'),
    RATE_MESSAGES_PER_SECOND: wholeNumber(10, 1),
    RATE_MESSAGES_BURST: wholeNumber(30, 1),
    RATE_UPLOADS: wholeNumber(30, 1),
    RATE_UPLOADS_WINDOW: wholeNumber(60, 1),
    RATE_REGISTRATIONS: wholeNumber(20, 1),
    RATE_REGISTRATIONS_WINDOW: wholeNumber(3600, 1),
    WS_MAX_CONNECTIONS_PER_USER: wholeNumber(20, 1),
    RATE_WS_FRAMES_PER_SECOND: wholeNumber(20, 1),
    RATE_WS_FRAMES_BURST: wholeNumber(60, 1),
    IMAGE_CONCURRENCY: wholeNumber(availableParallelism(), 1, 256),
    IMAGE_QUEUE_LENGTH: wholeNumber(2 * availableParallelism(), 0, 10_000),
    IMAGE_TIMEOUT: wholeNumber(5, 1, 3600),
    STORAGE: oneOf(STORAGE_DRIVERS, 'local'),
    MEDIA_BASE_URL: urlOf('http', 'https'),
    S3_BUCKET: shaped(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name (3 to 63 lowercase letters, digits, . or -)')
      .nullable()
      .default(null),
    S3_ENDPOINT: urlOf('http', 'https'),
    S3_REGION: shaped(/^[A-Za-z0-9-]{1,64}$/, 'a region name such as us-east-1').default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().nullable().default(null),
    S3_SECRET_ACCESS_KEY: z.string().nullable().default(null),
    S3_FORCE_PATH_STYLE: flag(false),
    S3_PREFIX: shaped(/^[A-Za-z0-9_./-]{1,200}$/, 'up to 200 letters, digits or _ . / -').default(''),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === null) {
      context.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.RATE_MESSAGES_BURST < env.RATE_MESSAGES_PER_SECOND) {
      context.addIssue({
        code: 'custom',
        path: ['RATE_MESSAGES_BURST'],
        message: 'must be at least RATE_MESSAGES_PER_SECOND',
      });
    }
    if (env.REDIS_CLUSTER !== null && env.REDIS_URL === null) {
      context.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER'],
        message: 'needs REDIS_URL too (limits and presence are kept there)',
      });
    }
    if (env.STORAGE === 's3' && env.S3_BUCKET === null) {
      context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when STORAGE=s3' });
    }
    if ((env.S3_ACCESS_KEY_ID === null) !== (env.S3_SECRET_ACCESS_KEY === null)) {
      context.addIssue({
        code: 'custom',
        path: ['S3_ACCESS_KEY_ID'],
        message: 'and S3_SECRET_ACCESS_KEY go together: set both or neither',
      });
    }
  });

/** The variables the schema knows, trimmed, with blank ones left out (they take their default). */
function known(env: Env): Record<string, string> {
  const names = Object.keys(envSchema.shape);
  const entries = names.map((name) => [name, env[name]?.trim()] as const);
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => Boolean(entry[1])));
}

/**
 * Reads and validates the whole configuration once; `.env` in the working directory fills gaps. Every
 * bad variable is reported, one line each, rather than only the first.
 */
export function loadConfig(env: Env = process.env, dotEnvPath = resolve('.env')): AppConfig {
  const result = envSchema.safeParse(known({ ...readDotEnv(dotEnvPath), ...env }));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError([...new Set(lines)]);
  }
  const read = result.data;
  return {
    nodeEnv: read.NODE_ENV,
    port: read.PORT,
    host: read.HOST,
    acceptLanes: read.ACCEPT_LANES,
    publicUrl: (read.PUBLIC_URL ?? '').replace(/\/+$/, ''),
    databaseUrl: read.DATABASE_URL,
    databasePoolSize: read.DATABASE_POOL_SIZE,
    databasePreparedStatements: read.DATABASE_PREPARED_STATEMENTS,
    dataDir: resolve(read.DATA_DIR),
    redisUrl: read.REDIS_URL,
    redisCluster:
      read.REDIS_CLUSTER?.split(',').map((node) => {
        const [host, port] = node.trim().split(':');
        return { host, port: Number(port) };
      }) ?? null,
    redisPrefix: read.REDIS_PREFIX,
    jwtSecret: read.JWT_SECRET,
    jwtExpiresInSeconds: read.JWT_EXPIRES_IN,
    pageTokenSeconds: read.PAGE_TOKEN_SECONDS,
    signupEnabled: read.SIGNUP_ENABLED,
    trustProxy: read.TRUST_PROXY,
    cookieSecure: read.COOKIE_SECURE,
    corsOrigins: read.CORS_ORIGINS,
    logLevel: read.LOG_LEVEL,
    limits: {
      messageBodyLength: read.MAX_MESSAGE_LENGTH,
      jsonBodyBytes: read.MAX_JSON_BYTES,
      uploadBytes: read.MAX_UPLOAD_BYTES,
      imagePixels: read.MAX_IMAGE_PIXELS,
      palettePixels: read.MAX_PALETTE_PIXELS,
      seenIdsPerCall: read.MAX_SEEN_IDS,
    },
    auth: {
      maxFailures: read.AUTH_MAX_FAILURES,
      failureWindowSeconds: read.AUTH_FAILURE_WINDOW,
    },
    rateLimits: {
      messagesPerSecond: read.RATE_MESSAGES_PER_SECOND,
      messagesBurst: read.RATE_MESSAGES_BURST,
      uploadsPerWindow: read.RATE_UPLOADS,
      uploadWindowSeconds: read.RATE_UPLOADS_WINDOW,
      registrationsPerWindow: read.RATE_REGISTRATIONS,
      registrationWindowSeconds: read.RATE_REGISTRATIONS_WINDOW,
      connectionsPerUser: read.WS_MAX_CONNECTIONS_PER_USER,
      framesPerSecond: read.RATE_WS_FRAMES_PER_SECOND,
      framesBurst: read.RATE_WS_FRAMES_BURST,
    },
    images: {
      concurrency: read.IMAGE_CONCURRENCY,
      queueLength: read.IMAGE_QUEUE_LENGTH,
      timeoutSeconds: read.IMAGE_TIMEOUT,
    },
    ws: {
      heartbeatMs: read.WS_HEARTBEAT_MS,
      maxBufferedBytes: read.WS_MAX_BUFFERED_BYTES,
      presenceGraceMs: read.PRESENCE_GRACE_MS,
      membershipRecheckMs: read.WS_MEMBERSHIP_RECHECK_MS,
      tokenRecheckMs: read.WS_TOKEN_RECHECK_MS,
      resumeGraceMs: read.WS_RESUME_GRACE_MS,
    },
    events: {
      retentionSeconds: read.EVENT_RETENTION,
      pruneIntervalMs: read.EVENT_PRUNE_INTERVAL_MS,
    },
    exposeQueryCount: read.EXPOSE_QUERY_COUNT,
    storage: {
      driver: read.STORAGE,
      mediaBaseUrl: read.MEDIA_BASE_URL?.replace(/\/+$/, '') ?? null,
      s3:
        read.S3_BUCKET === null
          ? null
          : {
              bucket: read.S3_BUCKET,
              endpoint: read.S3_ENDPOINT,
              region: read.S3_REGION,
              accessKeyId: read.S3_ACCESS_KEY_ID,
              secretAccessKey: read.S3_SECRET_ACCESS_KEY,
              forcePathStyle: read.S3_FORCE_PATH_STYLE,
              prefix: read.S3_PREFIX,
            },
    },
    searchLanguage: read.SEARCH_LANGUAGE.toLowerCase(),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
