import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { databaseUrlProblems } from './database-url';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

/** The environment as documented in API.md §6 and the README; validated once at start. */
class Environment {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+|mariadb:\/\/.+)$/, {
    message:
      'DATABASE_URL must be sqlite:<file>, sqlite::memory: or mysql://user:pass@host:port/db',
  })
  DATABASE_URL?: string;
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'ISSUER must be an http(s) URL' })
  ISSUER?: string;
  @IsOptional() @IsString() @MinLength(3) ADMIN_CLIENT_ID?: string;
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_CLIENT_SECRET must be at least 16 characters' })
  ADMIN_CLIENT_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(4) @Max(15) BCRYPT_COST?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(256) BCRYPT_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100000) BCRYPT_MAX_QUEUE?: number;
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://…' })
  REDIS_URL?: string;
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be smtp://user:pass@host:port' })
  SMTP_URL?: string;
  @IsOptional() @IsString() MAIL_FROM?: string;
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'SMS_WEBHOOK_URL must be an http(s) URL' })
  SMS_WEBHOOK_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(30) @Max(86400) OTP_TTL_SECONDS?: number;
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'DEFAULT_PHONE_REGION must be an ISO 3166 alpha-2 code' })
  DEFAULT_PHONE_REGION?: string;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) @Max(86400) ACCESS_TOKEN_TTL_SECONDS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(31536000)
  REFRESH_TOKEN_TTL_SECONDS?: number;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SECRET_KEY must be at least 32 characters' })
  SECRET_KEY?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(10485760) BODY_LIMIT_BYTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000) DB_CONNECT_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000) DB_ACQUIRE_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(300000) DB_QUERY_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100000) DB_POOL_QUEUE_LIMIT?: number;
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(300) SHUTDOWN_DELAY_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535) HEALTH_PORT?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(300)
  HEALTH_MAX_EVENT_LOOP_LAG_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600) DB_STARTUP_TIMEOUT_SECONDS?: number;
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, {
    message:
      'TRUST_PROXY must be true, false, a hop count, or a comma-separated list of addresses/CIDRs/loopback|linklocal|uniquelocal',
  })
  TRUST_PROXY?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) RATE_LIMIT_WINDOW_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000000) RATE_LIMIT_IP?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000000) RATE_LIMIT_ACCOUNT?: number;
}

export type DatabaseKind = 'sqlite' | 'mysql';

/** The environment does not describe a service that can start; `problems` name the variables. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/** The name of the generated `SECRET_KEY` in the data directory (outside production only). */
export const GENERATED_SECRET_KEY_FILE = 'secret.key';

/** Values copied from examples rather than generated: refused in production. */
const PLACEHOLDER_SECRET = /placeholder|change-?me|changeit|example|^(secret|password|admin)/i;

/**
 * Where a generated `SECRET_KEY` lives when none is set: beside the SQLite file, under `DATA_DIR`
 * (default `./data`) for MySQL, nowhere for `sqlite::memory:` (the key then lives as long as the
 * process, like the database).
 */
function generatedSecretKeyPath(
  databaseUrl: string,
  dataDir: string | undefined,
): string | undefined {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    return file === ':memory:' || file === ''
      ? undefined
      : join(dirname(file), GENERATED_SECRET_KEY_FILE);
  }
  return join(dataDir ?? './data', GENERATED_SECRET_KEY_FILE);
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Typed configuration, built from the environment when the application is created (not when a
 * module file is imported), so each test app can start with its own environment.
 */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly port!: number;
  readonly host!: string;
  readonly databaseUrl!: string;
  readonly databaseKind!: DatabaseKind;
  readonly issuer!: string;
  readonly adminClientId?: string;
  readonly adminClientSecret?: string;
  readonly bcryptCost!: number;
  readonly bcryptConcurrency!: number;
  readonly bcryptMaxQueue!: number;
  readonly redisUrl?: string;
  readonly smtpUrl?: string;
  readonly mailFrom!: string;
  readonly smsWebhookUrl?: string;
  readonly otpTtlSeconds!: number;
  readonly defaultPhoneRegion!: string;
  readonly logLevel!: string;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  /**
   * Root of every HMAC key and of the key that encrypts signing keys at rest (never stored in the
   * database). Required in production; elsewhere, when unset, generated once into
   * `generatedSecretKeyPath`.
   */
  readonly secretKey?: string;
  /** Where a generated key is kept when `SECRET_KEY` is unset; undefined: in memory (`:memory:`). */
  readonly generatedSecretKeyPath?: string;
  readonly bodyLimitBytes!: number;
  /**
   * Bounds on waiting for MariaDB (mysql2): opening a connection, waiting for a pooled one, one
   * statement; and how many requests may queue for a connection (0: unbounded). Past any of them
   * a request answers 503 instead of hanging.
   */
  readonly databaseTimeouts!: {
    connectMs: number;
    acquireMs: number;
    queryMs: number;
    queueLimit: number;
  };
  /** Bearer token `/metrics` requires; unset: 404 in production, open elsewhere. */
  readonly metricsToken?: string;
  /** Seconds between SIGTERM (readiness turns 503) and closing the listener. */
  readonly shutdownDelaySeconds!: number;
  /**
   * A second listener, answering only the health probes from a thread of its own, so that they
   * answer at once even while the main event loop is saturated; undefined: probes on `port` only.
   */
  readonly healthPort?: number;
  /** How stale the main event loop's heartbeat may be before that listener reports it dead. */
  readonly healthMaxEventLoopLagSeconds!: number;
  /**
   * How long the start retries a database that refuses or does not exist yet (with backoff)
   * before the process exits 1; 0 tries once.
   */
  readonly databaseStartupTimeoutSeconds!: number;
  /**
   * Express `trust proxy`: which hops may set `X-Forwarded-For` (the client IP rate limits and logs
   * use). Off by default: behind no proxy, a client could otherwise choose its own address.
   */
  readonly trustProxy!: boolean | number | string;
  /**
   * Requests to sign-in, password change and reset, and code-send routes allowed per window from one
   * client IP (`perIp`) and for one named account (`perAccount`); 0 turns that limit off.
   */
  readonly rateLimits!: { windowSeconds: number; perIp: number; perAccount: number };

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  static fromEnvironment(raw: NodeJS.ProcessEnv = process.env): AppConfig {
    const present = Object.fromEntries(
      Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
    );
    const env = plainToInstance(Environment, present, { exposeDefaultValues: false });
    const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
    const problems = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((msg) =>
        msg.startsWith(e.property) ? msg : `${e.property}: ${msg}`,
      ),
    );
    const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
    const bcryptCost = env.BCRYPT_COST ?? 12;
    if (nodeEnv === 'production') {
      if (bcryptCost < 10) problems.push('BCRYPT_COST must be at least 10 in production');
      // Clients compare `iss` and the discovery URL with the URL they use (OIDC Discovery §4.3,
      // RFC 8414 §3.3); the `http://localhost:$PORT` default suits a developer's machine only.
      if (!env.ISSUER) {
        problems.push(
          'ISSUER is required in production: the URL clients use to reach Tessera (e.g. https://id.example.com)',
        );
      }
      if (
        env.ADMIN_CLIENT_SECRET &&
        /^(change-?me|secret|password|admin)/i.test(env.ADMIN_CLIENT_SECRET)
      ) {
        problems.push('ADMIN_CLIENT_SECRET is a placeholder; set a generated secret in production');
      }
      // Without it, a copy of the database would be enough to forge tokens (issue 10, finding 3).
      if (!env.SECRET_KEY) {
        problems.push(
          'SECRET_KEY is required in production (generate one with `openssl rand -hex 32`)',
        );
      } else if (PLACEHOLDER_SECRET.test(env.SECRET_KEY) || new Set(env.SECRET_KEY).size < 8) {
        problems.push(
          'SECRET_KEY is a placeholder or too uniform; set a generated one (`openssl rand -hex 32`)',
        );
      }
    }
    if (Boolean(env.ADMIN_CLIENT_ID) !== Boolean(env.ADMIN_CLIENT_SECRET)) {
      problems.push('ADMIN_CLIENT_ID and ADMIN_CLIENT_SECRET must be set together');
    }
    if (env.DATABASE_URL && !problems.some((problem) => problem.startsWith('DATABASE_URL'))) {
      problems.push(...databaseUrlProblems(env.DATABASE_URL));
    }
    if (env.HEALTH_PORT !== undefined && env.HEALTH_PORT === (env.PORT ?? 3000)) {
      problems.push('HEALTH_PORT must differ from PORT');
    }
    if (problems.length > 0) throw new InvalidConfigurationError(problems);
    const port = env.PORT ?? 3000;
    const databaseUrl = env.DATABASE_URL ?? 'sqlite:./data/tessera.db';
    return Object.assign(new AppConfig(), {
      nodeEnv,
      port,
      host: env.HOST ?? '0.0.0.0',
      databaseUrl,
      databaseKind: databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql',
      issuer: (env.ISSUER ?? `http://localhost:${port}`).replace(/\/+$/, ''),
      adminClientId: env.ADMIN_CLIENT_ID,
      adminClientSecret: env.ADMIN_CLIENT_SECRET,
      bcryptCost,
      bcryptConcurrency: env.BCRYPT_CONCURRENCY ?? Math.max(1, cpus().length),
      bcryptMaxQueue: env.BCRYPT_MAX_QUEUE ?? 64,
      redisUrl: env.REDIS_URL,
      smtpUrl: env.SMTP_URL,
      mailFrom: env.MAIL_FROM ?? 'Tessera <no-reply@localhost>',
      smsWebhookUrl: env.SMS_WEBHOOK_URL,
      otpTtlSeconds: env.OTP_TTL_SECONDS ?? 300,
      defaultPhoneRegion: env.DEFAULT_PHONE_REGION ?? 'CN',
      logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 3600,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS ?? 30 * 24 * 3600,
      secretKey: env.SECRET_KEY,
      generatedSecretKeyPath: generatedSecretKeyPath(databaseUrl, env.DATA_DIR),
      bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 16 * 1024,
      databaseTimeouts: {
        connectMs: env.DB_CONNECT_TIMEOUT_MS ?? 5000,
        acquireMs: env.DB_ACQUIRE_TIMEOUT_MS ?? 5000,
        queryMs: env.DB_QUERY_TIMEOUT_MS ?? 5000,
        queueLimit: env.DB_POOL_QUEUE_LIMIT ?? 100,
      },
      metricsToken: env.METRICS_TOKEN,
      shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS ?? 5,
      healthPort: env.HEALTH_PORT,
      healthMaxEventLoopLagSeconds: env.HEALTH_MAX_EVENT_LOOP_LAG_SECONDS ?? 10,
      databaseStartupTimeoutSeconds: env.DB_STARTUP_TIMEOUT_SECONDS ?? 30,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      rateLimits: {
        windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS ?? 60,
        perIp: env.RATE_LIMIT_IP ?? 300,
        perAccount: env.RATE_LIMIT_ACCOUNT ?? 30,
      },
    } satisfies Partial<AppConfig>);
  }
}
