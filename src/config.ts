import net from 'node:net';
/** The environment, parsed once into a typed object. Nothing else reads process.env. */
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { LOGIN_EMAIL, PASSWORD_LENGTH } from './contract/domain.ts';

/** one trusted proxy: an IPv4/IPv6 address or CIDR, or a proxy-addr range name */
const PROXY = '(?:[0-9A-Fa-f:.]+(?:/[0-9]{1,3})?|loopback|linklocal|uniquelocal)';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATABASE_URL: Type.String({ default: 'sqlite:./data/licstat.db' }),
  LICSTAT_DEMO: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  // the rules of POST /users: a first user the API would refuse is refused at start too
  LICSTAT_ADMIN_EMAIL: Type.Optional(
    Type.String({ minLength: 3, maxLength: LOGIN_EMAIL.maxLength, pattern: LOGIN_EMAIL.pattern }),
  ),
  LICSTAT_ADMIN_PASSWORD: Type.Optional(
    Type.String({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max }),
  ),
  REDIS_URL: Type.Optional(Type.String()),
  /** alert e-mails: smtp[s]://[user:password@]host[:port]; unset = no e-mail */
  LICSTAT_SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  LICSTAT_SMTP_FROM: Type.String({ default: 'licstat@localhost' }),
  LICSTAT_WEBHOOK_ALLOW_PRIVATE: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
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

/** What each variable accepts, for the error that names it (a schema error says "must be equal to constant"). */
const ALLOWED: Record<keyof typeof EnvSchema.properties, string> = {
  PORT: 'an integer from 0 to 65535',
  HOST: 'an address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0',
  DATABASE_URL: 'sqlite:<path> or postgres://…',
  LICSTAT_DEMO: '0 or 1',
  LICSTAT_ADMIN_EMAIL: `an email address (name@domain, at most ${LOGIN_EMAIL.maxLength} characters)`,
  LICSTAT_ADMIN_PASSWORD: `${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`,
  REDIS_URL: 'redis://[user:password@]host[:port]',
  LICSTAT_SMTP_URL: 'smtp://[user:password@]host[:port] or smtps://…',
  LICSTAT_SMTP_FROM: 'an email address',
  LICSTAT_WEBHOOK_ALLOW_PRIVATE: '0 or 1',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  LICSTAT_CLIENT_RATE_LIMIT: 'an integer of at least 1 (requests per minute per license key)',
  LICSTAT_TRUST_PROXY:
    '0, 1, or comma-separated proxy addresses or CIDRs (or loopback, linklocal, uniquelocal)',
};

/** Their values may hold a password: an error names the variable, never the value. */
const SECRET = new Set(['LICSTAT_ADMIN_PASSWORD', 'LICSTAT_SMTP_URL', 'REDIS_URL', 'DATABASE_URL']);

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
    // every invalid variable, each with what it accepts, in one line
    const bad = new Set<string>();
    for (const err of Value.Errors(EnvSchema, withDefaults)) {
      const key = err.instancePath.split('/')[1];
      if (key) bad.add(key);
    }
    const what = [...bad].map((key) => {
      const shown = SECRET.has(key) ? '' : `=${JSON.stringify(env[key])}`;
      return `${key}${shown} must be ${ALLOWED[key as keyof typeof ALLOWED]}`;
    });
    throw new Error(`invalid environment: ${what.join('; ')}`);
  }
  // one without the other is a half-done bootstrap, not "no bootstrap"
  const hasEmail = picked.LICSTAT_ADMIN_EMAIL !== undefined;
  if (hasEmail !== (picked.LICSTAT_ADMIN_PASSWORD !== undefined)) {
    const [set, unset] = hasEmail
      ? ['LICSTAT_ADMIN_EMAIL', 'LICSTAT_ADMIN_PASSWORD']
      : ['LICSTAT_ADMIN_PASSWORD', 'LICSTAT_ADMIN_EMAIL'];
    throw new Error(
      `invalid environment: ${set} is set but ${unset} is not: set both to create the first vendor user, or neither`,
    );
  }
  const proxy = picked.LICSTAT_TRUST_PROXY as string | undefined;
  const wrong = proxy === undefined ? undefined : badProxyEntry(proxy);
  if (wrong !== undefined)
    throw new Error(
      `invalid environment: LICSTAT_TRUST_PROXY has ${JSON.stringify(wrong)}, which is not an IP address, a CIDR (address/prefix) or loopback, linklocal, uniquelocal`,
    );
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

/** The first entry of a LICSTAT_TRUST_PROXY list that proxy-addr would refuse (it throws at start). */
function badProxyEntry(list: string): string | undefined {
  if (list === '0' || list === '1') return undefined;
  return list
    .split(',')
    .map((x) => x.trim())
    .find((entry) => {
      if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return false;
      const [address = '', prefix, ...rest] = entry.split('/');
      const family = net.isIP(address);
      if (family === 0 || rest.length > 0) return true;
      if (prefix === undefined) return false;
      const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
      return bits < 0 || bits > (family === 4 ? 32 : 128);
    });
}
