/** The environment, parsed once into a typed object. Nothing else reads process.env. */
import { Type } from 'typebox';
import { Value } from 'typebox/value';

/** one trusted proxy: an IPv4/IPv6 address or CIDR, or a proxy-addr range name */
const PROXY = '(?:[0-9A-Fa-f:.]+(?:/[0-9]{1,3})?|loopback|linklocal|uniquelocal)';

const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATABASE_URL: Type.String({ default: 'sqlite:./data/licstat.db' }),
  LICSTAT_DEMO: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  LICSTAT_ADMIN_EMAIL: Type.Optional(Type.String({ minLength: 3 })),
  LICSTAT_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  REDIS_URL: Type.Optional(Type.String()),
  /** alert e-mails: smtp[s]://[user:password@]host[:port]; unset = no e-mail */
  LICSTAT_SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  LICSTAT_SMTP_FROM: Type.String({ default: 'licstat@localhost' }),
  LICSTAT_WEBHOOK_ALLOW_PRIVATE: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  LICSTAT_CLIENT_RATE_LIMIT: Type.Integer({ minimum: 1, default: 3000 }),
  /**
   * Behind TLS-terminating proxies: which peers may speak for the client in X-Forwarded-For/-Proto.
   * "1": a proxy on this machine (loopback); else the proxies' addresses or CIDRs, or proxy-addr's
   * names loopback, linklocal, uniquelocal, comma-separated. "0" or unset: none.
   */
  LICSTAT_TRUST_PROXY: Type.Optional(
    Type.String({ pattern: `^(?:0|1|${PROXY}(?:\\s*,\\s*${PROXY})*)$`, maxLength: 2000 }),
  ),
});

const NUMERIC = new Set(['PORT', 'LICSTAT_CLIENT_RATE_LIMIT']);

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** undefined = decide by context (npm start seeds on an empty database) */
  demo: boolean | undefined;
  adminEmail?: string;
  adminPassword?: string;
  redisUrl?: string;
  /** alert e-mails to the organization's admins; undefined = off */
  smtpUrl?: string;
  smtpFrom: string;
  /** webhooks may target loopback/private addresses */
  webhookAllowPrivate: boolean;
  logLevel: string;
  /**
   * Fastify's trustProxy: false or the trusted proxies' addresses. Never `true`: that believes every
   * X-Forwarded-For entry, which any client can write (and so pick its own address for the
   * per-address login and license-key throttles).
   */
  trustProxy: false | string;
  /** client API requests per minute per license key */
  clientRateLimitPerMinute: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = NUMERIC.has(key) ? Number(v) : v;
  }
  const withDefaults = Value.Default(EnvSchema, picked);
  if (!Value.Check(EnvSchema, withDefaults)) {
    const first = [...Value.Errors(EnvSchema, withDefaults)][0];
    throw new Error(`invalid environment: ${first?.instancePath ?? ''} ${first?.message ?? ''}`);
  }
  const e = withDefaults as {
    PORT: number;
    HOST: string;
    DATABASE_URL: string;
    LICSTAT_DEMO?: '0' | '1';
    LICSTAT_ADMIN_EMAIL?: string;
    LICSTAT_ADMIN_PASSWORD?: string;
    REDIS_URL?: string;
    LICSTAT_SMTP_URL?: string;
    LICSTAT_SMTP_FROM: string;
    LICSTAT_WEBHOOK_ALLOW_PRIVATE?: '0' | '1';
    LOG_LEVEL: string;
    LICSTAT_TRUST_PROXY?: string;
    LICSTAT_CLIENT_RATE_LIMIT: number;
  };
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    demo: e.LICSTAT_DEMO === undefined ? undefined : e.LICSTAT_DEMO === '1',
    adminEmail: e.LICSTAT_ADMIN_EMAIL,
    adminPassword: e.LICSTAT_ADMIN_PASSWORD,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.LICSTAT_SMTP_URL,
    smtpFrom: e.LICSTAT_SMTP_FROM,
    webhookAllowPrivate: e.LICSTAT_WEBHOOK_ALLOW_PRIVATE === '1',
    logLevel: e.LOG_LEVEL,
    trustProxy: trustProxyOf(e.LICSTAT_TRUST_PROXY),
    clientRateLimitPerMinute: e.LICSTAT_CLIENT_RATE_LIMIT,
  };
}

function trustProxyOf(v: string | undefined): false | string {
  if (v === undefined || v === '0') return false;
  return v === '1' ? 'loopback' : v;
}
