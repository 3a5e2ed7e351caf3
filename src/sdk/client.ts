/**
 * LicstatClient: what a licensed program embeds. Activation, sessions with signed leases that
 * are verified offline and renewed in the background, single-user takes, and metered usage
 * that is batched, stored and delivered exactly once. No Node-only import: runs in browsers
 * and Electron too (the disk queue lives in node-queue.ts).
 */
import { MAX_EVENT_COUNT, type SessionMode } from '../contract/domain.ts';
import { base64urlDecode, type LeasePayload } from '../contract/lease.ts';
import type { Activation } from '../contract/resources.ts';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, renewalDelay } from './backoff.ts';
import { LicstatClientError, type SdkErrorCode } from './errors.ts';
import { TypedEmitter } from './events.ts';
import { callApi, type HttpOptions } from './http.ts';
import { importLeaseKey, verifyLeaseToken } from './lease-verify.ts';
import { MemoryQueueStore, type QueuedBatch, type QueueStore, type UsageEvent } from './queue-store.ts';
import { realClock, realTimers, type SdkClock, type SdkTimers } from './timers.ts';
import { type UsageAck, UsageQueue } from './usage-queue.ts';

/**
 * How far this machine's clock may be off the server's for a fresh lease to be accepted; the lease
 * is then judged by its lifetime on this clock (see localExpiry). Older tokens stay refused.
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface LicstatClientOptions {
  /**
   * e.g. https://licenses.example.com (the API lives under /api/v1). Plain http:// is refused
   * unless the host is loopback (127.0.0.0/8, ::1, localhost) or `allowInsecureHttp` is set.
   */
  serverUrl: string;
  /** an activation code or a project key */
  licenseKey: string;
  /** a stable identifier of this machine or device */
  fingerprint: string;
  /** the end user's email: session history and usage are per program and email */
  email: string;
  /** the program's version */
  version?: string;
  /** the program's name in session history (default: the product's name) */
  program?: string;
  /** the machine's name, shown instead of the fingerprint in session history and activations */
  hostname?: string;
  /** project key to attribute usage to (activation-code clients whose item serves several projects) */
  project?: string;
  /** durable home of unsent usage batches; default in memory (see node-queue.ts for disk) */
  storage?: QueueStore;
  /**
   * The server's lease key (raw base64url Ed25519, as `licstat public-key` prints it), built into
   * the program: only leases it verifies are accepted. Required unless `trustServerKey` is set.
   */
  publicKey?: string;
  /**
   * Development and tests only: without `publicKey`, trust whatever key the server answers at
   * GET /client/public-key. Whoever answers for the server (a fake server, a hosts-file entry, a
   * man in the middle) can then sign leases of their own: full access, any module, any expiry.
   */
  trustServerKey?: boolean;
  /**
   * Allow plain http:// to a host that is not loopback. The license key and the leases then
   * travel in the clear; use https instead.
   */
  allowInsecureHttp?: boolean;
  /**
   * The product this program is (its id on the server, e.g. prd_…). Sent with activations, session
   * starts, takes and usage reports: the server refuses an activation code of another product with
   * WRONG_PRODUCT before recording anything, and a project key chooses only among the project's
   * items of this product. As a second line, a lease for another product is refused with
   * WRONG_PRODUCT and its session ended. Unset: licenses of any product are accepted.
   */
  productId?: string;
  /** usage batching: seal at this many events (default 100, the server's most per batch) */
  maxBatchEvents?: number;
  /** usage batching: seal this long after a batch's first event (default 5 s) */
  flushIntervalMs?: number;
  /** retries of renewals and usage deliveries while the server cannot be reached (default 1 s doubling to 5 min) */
  backoff?: BackoffOptions;
  /** per request (default 15 s) */
  requestTimeoutMs?: number;
  /** the fetch to use (default the global one): a proxy agent, a test double */
  fetch?: typeof fetch;
  /** time source (default Date.now); tests pass ManualTime */
  clock?: SdkClock;
  /** timers (default setTimeout, unref'd); tests pass ManualTime */
  timers?: SdkTimers;
  /** jitter source in [0, 1) (default Math.random) */
  random?: () => number;
}

/** A verified lease: what this program may do until it expires. */
export interface Lease {
  /** the signed token as the server sent it (verify again with verifyLeaseToken) */
  token: string;
  sessionId: string;
  licenseItemId: string;
  /** the license item's product (absent in leases of servers before leases named it) */
  productId?: string;
  /** full: licensed; limited: not activated, or all seats in use (`reason`) */
  mode: SessionMode;
  /** why the mode is limited, e.g. ALL_SEATS_IN_USE */
  reason?: string;
  /** the feature modules licensed (none when limited) */
  modules: string[];
  /** server time of signing */
  issuedAt: Date;
  /** server time the lease ends unless renewed */
  expiresAt: Date;
  /** the whole signed payload */
  payload: LeasePayload;
}

export interface TakeResult {
  activation: Activation;
  /** true when the license was moved from another machine */
  moved: boolean;
  /** takes still allowed in the current period; null = no limit */
  takesLeft: number | null;
}

export type LostReason = 'expired' | 'refused';

export interface LicstatClientEvents {
  /** a renewal succeeded; the seat is held until the new expiry */
  renewed: { lease: Lease };
  /** the lease ended without the program ending it: the seat is gone; call startSession() again */
  lost: { reason: LostReason; code?: SdkErrorCode; sessionId: string };
  /** full ⇄ limited (including limited after a loss) */
  mode: { mode: SessionMode; reason?: string };
  /** the server could not be reached (first failure after success) */
  offline: { error: LicstatClientError };
  /** the server answered again */
  online: Record<string, never>;
  'usage-delivered': { batchId: string; accepted: number; duplicate: boolean; remaining?: number | null };
  /** the server refused these events for good (e.g. a time outside the license's validity); they are not retried */
  'usage-rejected': { batchId: string; events: UsageEvent[]; error: LicstatClientError };
}

interface SessionAnswer {
  session: { id: string; mode: SessionMode; reason?: string };
  lease: { token: string; expiresAt: string };
}

export class LicstatClient extends TypedEmitter<LicstatClientEvents> {
  private readonly http: HttpOptions;
  private readonly clock: SdkClock;
  private readonly timers: SdkTimers;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly usage: UsageQueue;
  private keyPromise: Promise<CryptoKey> | null = null;
  private publicKeyRaw: string | undefined;
  private current: Lease | null = null;
  /**
   * The current lease's end on this machine's clock: its lifetime counted from when it arrived.
   * The lease's own times are the server's; judging them by a skewed local clock would keep full
   * access after the server freed the seat (clock behind) or refuse fresh leases (clock ahead).
   */
  private localExpiry = 0;
  /** server time − local time, from the last lease (issued at its receipt, give or take the transit) */
  private serverOffsetMs = 0;
  private renewTimer: unknown = null;
  private expiryTimer: unknown = null;
  private renewAttempt = 0;
  private online = true;
  private activationId: string | null = null;
  private modeNow: SessionMode = 'limited';
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly opts: LicstatClientOptions) {
    super();
    checkOptions(opts);
    this.http = {
      serverUrl: opts.serverUrl,
      licenseKey: opts.licenseKey,
      timeoutMs: opts.requestTimeoutMs ?? 15_000,
      fetch: opts.fetch ?? ((...a) => globalThis.fetch(...a)),
    };
    this.clock = opts.clock ?? realClock;
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.publicKeyRaw = opts.publicKey;
    this.usage = new UsageQueue({
      store: opts.storage ?? new MemoryQueueStore(),
      send: (b) => this.sendBatch(b),
      fingerprint: opts.fingerprint,
      email: opts.email,
      project: opts.project,
      productId: opts.productId,
      clock: this.clock,
      timers: this.timers,
      random: this.random,
      maxEvents: opts.maxBatchEvents ?? 100,
      flushIntervalMs: opts.flushIntervalMs ?? 5000,
      backoff: this.backoff,
      onDelivered: (b, ack) => this.emit('usage-delivered', { batchId: b.batchId, ...ack }),
      onRejected: (b, error) => this.emit('usage-rejected', { batchId: b.batchId, events: b.events, error }),
      track: (p) => this.track(p),
      onTransientFailure: (error) => this.setOnline(false, error),
      onDeliverySuccess: () => this.setOnline(true),
    });
  }

  // --- state ---------------------------------------------------------------------------------

  /** The current verified lease, or null when there is no session or it was lost. */
  get lease(): Lease | null {
    if (this.current && this.localExpiry <= this.clock.now()) return null;
    return this.current;
  }

  /** full while a full lease holds; limited otherwise (no session, declined, lost) */
  get mode(): SessionMode {
    return this.lease?.mode ?? 'limited';
  }

  /** Whether the program may use this feature module now (a full lease that licenses it). */
  hasModule(name: string): boolean {
    const l = this.lease;
    return l !== null && l.mode === 'full' && l.modules.includes(name);
  }

  /** false from a failed request to the server until one succeeds again */
  get isOnline(): boolean {
    return this.online;
  }

  /** Resolves when no background renewal or delivery is in flight (tests; orderly shutdown). */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** The server key in use (raw base64url): the pinned `publicKey`, or with `trustServerKey` the one the server answered. */
  async getPublicKey(): Promise<string> {
    await this.verifyKey();
    return this.publicKeyRaw!;
  }

  // --- activation ----------------------------------------------------------------------------

  /**
   * Activates this machine (single-user and per-device items: it then holds a license) or returns
   * its existing activation. Throws ACTIVATIONS_EXHAUSTED, QUOTA_EXCEEDED, LICENSE_EXPIRED,
   * WRONG_PRODUCT (the key is for another product than `productId`), …
   */
  async activate(): Promise<Activation> {
    const { data } = await this.call<{ activation: Activation }>('POST', '/client/activations', {
      fingerprint: this.opts.fingerprint,
      ...(this.opts.hostname ? { hostname: this.opts.hostname } : {}),
      email: this.opts.email,
      ...(this.opts.version ? { version: this.opts.version } : {}),
      ...this.product(),
    });
    this.activationId = data.activation.id;
    return data.activation;
  }

  /** Frees this machine's activation (activating first finds its id when this run did not activate). */
  async deactivate(): Promise<void> {
    const id = this.activationId ?? (await this.activate()).id;
    await this.call('DELETE', `/client/activations/${encodeURIComponent(id)}`);
    this.activationId = null;
  }

  // --- sessions ------------------------------------------------------------------------------

  /**
   * Starts a session (program start) and returns its verified lease. A declined start is not an
   * error: the lease says mode "limited" with a reason such as ALL_SEATS_IN_USE. Throws
   * WRONG_PRODUCT when the key is for another product than `productId` (no session is started).
   */
  async startSession(): Promise<Lease> {
    if (this.current) await this.endSession().catch(() => undefined);
    const { data } = await this.call<SessionAnswer>('POST', '/client/sessions', {
      fingerprint: this.opts.fingerprint,
      email: this.opts.email,
      ...(this.opts.version ? { version: this.opts.version } : {}),
      ...(this.opts.program ? { program: this.opts.program } : {}),
      ...(this.opts.project ? { project: this.opts.project } : {}),
      ...this.product(),
    });
    let lease: Lease;
    try {
      lease = await this.verify(data.lease.token, data.session.id);
    } catch (e) {
      // a lease this program cannot trust, or one for another product, gives it nothing: free
      // the seat it would hold
      await this.endOnServer(data.session.id);
      throw e;
    }
    this.adopt(lease);
    return lease;
  }

  /** Renews now (the timer does this by itself); resolves to the new lease. */
  async renew(): Promise<Lease> {
    const cur = this.current;
    if (!cur) throw new LicstatClientError('NO_SESSION', 'no session to renew');
    const { data } = await this.call<{ lease: { token: string; expiresAt: string } }>(
      'POST',
      `/client/sessions/${encodeURIComponent(cur.sessionId)}/renew`,
    );
    let lease: Lease;
    try {
      lease = await this.verify(data.lease.token, cur.sessionId);
    } catch (e) {
      if (e instanceof LicstatClientError && e.code === 'WRONG_PRODUCT') {
        // as at a start: a lease for another product gives this program nothing, and holds no seat
        if (this.current?.sessionId === cur.sessionId) this.lose('refused', e.code);
        await this.endOnServer(cur.sessionId);
      }
      throw e;
    }
    if (this.current?.sessionId !== cur.sessionId) return lease; // ended meanwhile
    this.adopt(lease);
    this.emit('renewed', { lease });
    return lease;
  }

  /** Ends the session and frees its seat at once. */
  async endSession(): Promise<void> {
    const cur = this.current;
    this.stopLeaseTimers();
    this.current = null;
    this.setMode('limited', undefined);
    if (!cur) return;
    await this.call('POST', `/client/sessions/${encodeURIComponent(cur.sessionId)}/end`);
  }

  // --- takes and usage -----------------------------------------------------------------------

  /**
   * Single-user: moves the license to this machine (activating it); throws TAKE_DENIED when the
   * period's takes are used up.
   */
  async take(): Promise<TakeResult> {
    const { data } = await this.call<TakeResult>('POST', '/client/takes', {
      fingerprint: this.opts.fingerprint,
      email: this.opts.email,
      ...(this.opts.hostname ? { hostname: this.opts.hostname } : {}),
      ...(this.opts.version ? { version: this.opts.version } : {}),
      ...(this.opts.project ? { project: this.opts.project } : {}),
      ...this.product(),
    });
    this.activationId = data.activation.id;
    return data;
  }

  /** Records metered uses (scans) at their own time; batched, stored and delivered once. */
  reportUsage(count: number, at: Date | number = this.serverNow()): void {
    if (!Number.isInteger(count) || count < 1 || count > MAX_EVENT_COUNT)
      throw new RangeError(`count must be an integer from 1 to ${MAX_EVENT_COUNT}`);
    this.usage.add({ kind: 'scan', count, at: new Date(at).toISOString() });
  }

  /** Delivers everything buffered or stored now; resolves to the number of batches still waiting. */
  flushUsage(): Promise<number> {
    return this.usage.flush();
  }

  /** Delivers batches an earlier run stored (e.g. after a crash or an offline exit). */
  resumeUsage(): Promise<number> {
    return this.usage.resume();
  }

  /** Usage not yet acknowledged: stored batches plus events still being gathered into one. */
  pendingUsage(): Promise<number> {
    return this.usage.pending();
  }

  /** Flushes usage (best effort), ends the session and stops every timer. */
  async close(opts: { endSession?: boolean } = {}): Promise<void> {
    await this.usage.flush().catch(() => undefined);
    await this.usage.close();
    if (opts.endSession !== false) await this.endSession().catch(() => undefined);
    this.stopLeaseTimers();
  }

  // --- internals -----------------------------------------------------------------------------

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
    try {
      const r = await callApi<T>(this.http, method, path, body);
      this.setOnline(true);
      return r;
    } catch (e) {
      if (e instanceof LicstatClientError && e.transient) this.setOnline(false, e);
      throw e;
    }
  }

  /** The program's product for a request body (the server then refuses other products' licenses). */
  private product(): { productId?: string } {
    return this.opts.productId !== undefined ? { productId: this.opts.productId } : {};
  }

  /** Ends a session this program will not use (best effort: an unended one expires with its lease). */
  private async endOnServer(sessionId: string): Promise<void> {
    await this.call('POST', `/client/sessions/${encodeURIComponent(sessionId)}/end`).catch(() => undefined);
  }

  private sendBatch(b: QueuedBatch): Promise<UsageAck> {
    return callApi<UsageAck>(this.http, 'POST', '/client/usage', {
      batchId: b.batchId,
      fingerprint: b.fingerprint,
      ...(b.email !== undefined ? { email: b.email } : {}),
      ...(b.project !== undefined ? { project: b.project } : {}),
      ...(b.productId !== undefined ? { productId: b.productId } : {}),
      events: b.events,
    }).then((r) => r.data);
  }

  private verifyKey(): Promise<CryptoKey> {
    if (!this.keyPromise) {
      this.keyPromise = (async () => {
        if (!this.publicKeyRaw) {
          // only with trustServerKey (the constructor insists): whoever answers here is trusted
          const { data } = await this.call<{ publicKeyRaw: string }>('GET', '/client/public-key');
          this.publicKeyRaw = data.publicKeyRaw;
        }
        return importLeaseKey(this.publicKeyRaw);
      })();
      // a failed fetch must not poison later attempts
      this.keyPromise.catch(() => {
        this.keyPromise = null;
      });
    }
    return this.keyPromise;
  }

  /** Now on the server's clock, as far as the last lease tells (this machine's clock before any). */
  serverNow(): number {
    return this.clock.now() + this.serverOffsetMs;
  }

  private async verify(token: string, sessionId: string): Promise<Lease> {
    const p = await verifyLeaseToken(await this.verifyKey(), token, {
      now: this.clock.now(),
      clockToleranceMs: MAX_CLOCK_SKEW_MS,
      sessionId,
      fingerprint: this.opts.fingerprint,
      ...(this.opts.productId !== undefined ? { productId: this.opts.productId } : {}),
    });
    return {
      token,
      sessionId: p.sessionId,
      licenseItemId: p.licenseItemId,
      ...(p.productId !== undefined ? { productId: p.productId } : {}),
      mode: p.mode,
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      modules: p.modules,
      issuedAt: new Date(p.issuedAt),
      expiresAt: new Date(p.expiresAt),
      payload: p,
    };
  }

  private adopt(lease: Lease): void {
    this.current = lease;
    this.renewAttempt = 0;
    this.setMode(lease.mode, lease.reason);
    this.stopLeaseTimers();
    const now = this.clock.now();
    this.serverOffsetMs = lease.issuedAt.getTime() - now;
    this.localExpiry = now + Math.max(0, lease.expiresAt.getTime() - lease.issuedAt.getTime());
    this.expiryTimer = this.timers.set(() => this.checkExpiry(), this.localExpiry - now);
    // A limited (declined) session holds no seat; it is still renewed so the server sees it alive.
    this.scheduleRenewal(renewalDelay(now, this.localExpiry, now, this.random));
  }

  private scheduleRenewal(ms: number): void {
    if (this.renewTimer !== null) this.timers.clear(this.renewTimer);
    this.renewTimer = this.timers.set(() => {
      this.renewTimer = null;
      this.track(this.renewInBackground());
    }, ms);
  }

  private async renewInBackground(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    try {
      await this.renew();
    } catch (e) {
      if (this.current?.sessionId !== cur.sessionId) return;
      const err =
        e instanceof LicstatClientError
          ? e
          : new LicstatClientError('NETWORK_ERROR', String((e as Error)?.message));
      if (err.transient) {
        // Keep trying through the outage, but never past the lease's expiry.
        const left = this.localExpiry - this.clock.now();
        if (left > 0)
          this.scheduleRenewal(Math.min(left, backoffDelay(this.renewAttempt++, this.backoff, this.random)));
        return;
      }
      this.lose('refused', err.code);
    }
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p)).catch(() => undefined);
  }

  private checkExpiry(): void {
    this.expiryTimer = null;
    const cur = this.current;
    if (!cur) return;
    if (this.localExpiry <= this.clock.now()) this.lose('expired');
    else this.expiryTimer = this.timers.set(() => this.checkExpiry(), this.localExpiry - this.clock.now());
  }

  private lose(reason: LostReason, code?: SdkErrorCode): void {
    const cur = this.current;
    if (!cur) return;
    this.stopLeaseTimers();
    this.current = null;
    this.emit('lost', { reason, ...(code ? { code } : {}), sessionId: cur.sessionId });
    this.setMode('limited', 'LEASE_LOST');
  }

  private stopLeaseTimers(): void {
    if (this.renewTimer !== null) this.timers.clear(this.renewTimer);
    if (this.expiryTimer !== null) this.timers.clear(this.expiryTimer);
    this.renewTimer = this.expiryTimer = null;
  }

  private setMode(mode: SessionMode, reason: string | undefined): void {
    if (mode === this.modeNow) return;
    this.modeNow = mode;
    this.emit('mode', { mode, ...(reason !== undefined ? { reason } : {}) });
  }

  private setOnline(online: boolean, error?: LicstatClientError): void {
    if (online === this.online) return;
    this.online = online;
    if (online) this.emit('online', {});
    else this.emit('offline', { error: error! });
  }
}

/** Refuses, at construction, options that would let someone other than the server grant licenses. */
function checkOptions(o: LicstatClientOptions): void {
  let url: URL;
  try {
    url = new URL(o.serverUrl);
  } catch {
    throw new TypeError(`LicstatClient: serverUrl is not a URL: ${o.serverUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`LicstatClient: serverUrl must be https:// (or http:// to loopback): ${o.serverUrl}`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && o.allowInsecureHttp !== true) {
    throw new TypeError(
      `LicstatClient: refusing plain http:// to ${url.hostname}: the license key and leases would travel in the clear; ` +
        'use https://, or set allowInsecureHttp: true',
    );
  }
  if (o.publicKey !== undefined) {
    let raw: Uint8Array | null = null;
    try {
      raw = base64urlDecode(o.publicKey);
    } catch {
      // reported below
    }
    if (raw?.length !== 32)
      throw new TypeError(
        "LicstatClient: publicKey must be the server's raw Ed25519 key in base64url (43 characters), as `licstat public-key` prints it",
      );
  } else if (o.trustServerKey !== true) {
    throw new TypeError(
      "LicstatClient: publicKey is required: build the server's key (`licstat public-key`) into the program, " +
        'so only leases the server signed are accepted. trustServerKey: true trusts any server that answers ' +
        '(development and tests only).',
    );
  }
}

/** 127.0.0.0/8, ::1 and localhost, as WHATWG URL normalises them (IPv6 hosts in brackets). */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
