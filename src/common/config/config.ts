import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { z } from 'zod';

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
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
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
  };
  exposeQueryCount: boolean;
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

/** Every variable, parsed from the environment's text; unset (or blank) takes the default. */
const envSchema = z
  .object({
    NODE_ENV: oneOf(['development', 'production', 'test'], 'development'),
    PORT: wholeNumber(3000, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_URL: urlOf('http', 'https'),
    DATABASE_URL: urlOf('postgres', 'postgresql'),
    DATABASE_POOL_SIZE: wholeNumber(10, 1, 1000),
    DATABASE_PREPARED_STATEMENTS: flag(true),
    DATA_DIR: z.string().default('./data'),
    REDIS_URL: urlOf('redis', 'rediss'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, {
        error: (issue) => `must be 1 to 64 letters, digits or _ . : -, ${got(issue.input)}`,
      })
      .default('dfchat'),
    JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters long' }).nullable().default(null),
    JWT_EXPIRES_IN: wholeNumber(24 * 3600, 60, 365 * 24 * 3600),
    SIGNUP_ENABLED: flag(true),
    TRUST_PROXY: flag(false),
    CORS_ORIGINS: origins,
    LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'], 'info'),
    MAX_MESSAGE_LENGTH: wholeNumber(10_000, 1),
    MAX_JSON_BYTES: wholeNumber(1024 * 1024, 1024),
    MAX_UPLOAD_BYTES: wholeNumber(10 * 1024 * 1024, 1024),
    MAX_IMAGE_PIXELS: wholeNumber(40_000_000, 1),
    MAX_SEEN_IDS: wholeNumber(1000, 1),
    AUTH_MAX_FAILURES: wholeNumber(10, 1),
    AUTH_FAILURE_WINDOW: wholeNumber(15 * 60, 1),
    WS_HEARTBEAT_MS: wholeNumber(30_000, 100),
    WS_MAX_BUFFERED_BYTES: wholeNumber(4 * 1024 * 1024, 1024),
    PRESENCE_GRACE_MS: wholeNumber(3_000, 0, 15_000),
    WS_MEMBERSHIP_RECHECK_MS: wholeNumber(30_000, 100),
    EXPOSE_QUERY_COUNT: flag(false),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === null) {
      context.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
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
    publicUrl: (read.PUBLIC_URL ?? '').replace(/\/+$/, ''),
    databaseUrl: read.DATABASE_URL,
    databasePoolSize: read.DATABASE_POOL_SIZE,
    databasePreparedStatements: read.DATABASE_PREPARED_STATEMENTS,
    dataDir: resolve(read.DATA_DIR),
    redisUrl: read.REDIS_URL,
    redisPrefix: read.REDIS_PREFIX,
    jwtSecret: read.JWT_SECRET,
    jwtExpiresInSeconds: read.JWT_EXPIRES_IN,
    signupEnabled: read.SIGNUP_ENABLED,
    trustProxy: read.TRUST_PROXY,
    corsOrigins: read.CORS_ORIGINS,
    logLevel: read.LOG_LEVEL,
    limits: {
      messageBodyLength: read.MAX_MESSAGE_LENGTH,
      jsonBodyBytes: read.MAX_JSON_BYTES,
      uploadBytes: read.MAX_UPLOAD_BYTES,
      imagePixels: read.MAX_IMAGE_PIXELS,
      seenIdsPerCall: read.MAX_SEEN_IDS,
    },
    auth: {
      maxFailures: read.AUTH_MAX_FAILURES,
      failureWindowSeconds: read.AUTH_FAILURE_WINDOW,
    },
    ws: {
      heartbeatMs: read.WS_HEARTBEAT_MS,
      maxBufferedBytes: read.WS_MAX_BUFFERED_BYTES,
      presenceGraceMs: read.PRESENCE_GRACE_MS,
      membershipRecheckMs: read.WS_MEMBERSHIP_RECHECK_MS,
    },
    exposeQueryCount: read.EXPOSE_QUERY_COUNT,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
