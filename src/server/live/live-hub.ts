/**
 * Fans an organization's live activity out to every connected browser. One topic per
 * (organization, time zone): a committed change (from this process, or another through
 * PostgreSQL NOTIFY) marks the topic dirty; after a short debounce the hub reads the activity
 * once and sends each subscriber its filtered view. Browsers never cause reads of their own
 * beyond the first snapshot; a slow refresh (every 30 s per topic) drops leases that ran out.
 */
import type { LiveSession, LiveSnapshot } from '../../contract/live.ts';
import { isoInZone } from '../../core/stats/period.ts';
import { todayWindow } from '../../core/time-buckets.ts';
import {
  getLiveActivity,
  LIVE_SESSION_LIMIT,
  type LiveActivityRows,
} from '../../storage/live/getLiveActivity.ts';
import type { ChangeBus } from '../events/change-bus.ts';
import type { Deps } from '../types.ts';

export interface LiveFilter {
  licenseItemId?: string | undefined;
  projectId?: string | undefined;
}

interface Subscriber {
  filter: LiveFilter;
  send(snapshot: LiveSnapshot): void;
}

interface Topic {
  org: string;
  tz: string;
  subs: Set<Subscriber>;
  timer: NodeJS.Timeout | null;
  refresh: NodeJS.Timeout;
  reading: boolean;
  again: boolean;
}

const DEBOUNCE_MS = 150;
const REFRESH_MS = 30_000;

export class LiveHub {
  private topics = new Map<string, Topic>();
  private unsubscribeBus: () => void;
  private releaseRemote: (() => void) | null = null;

  constructor(
    private deps: Deps,
    private bus: ChangeBus,
    private onError: (e: unknown) => void,
  ) {
    this.unsubscribeBus = bus.on((c) => {
      for (const t of this.topics.values()) if (t.org === c.organizationId) this.schedule(t);
    });
  }

  /** Adds a subscriber; it gets a first snapshot at once. Returns the unsubscribe function. */
  async subscribe(
    org: string,
    tz: string,
    filter: LiveFilter,
    send: (s: LiveSnapshot) => void,
  ): Promise<() => void> {
    if (this.topics.size === 0 && !this.releaseRemote) {
      this.releaseRemote = await this.bus.listenRemote().catch((e) => {
        this.onError(e);
        return null;
      });
    }
    const key = `${org}\u0000${tz}`;
    let t = this.topics.get(key);
    if (!t) {
      const topic: Topic = {
        org,
        tz,
        subs: new Set(),
        timer: null,
        refresh: setInterval(() => this.schedule(topic), REFRESH_MS),
        reading: false,
        again: false,
      };
      topic.refresh.unref();
      t = topic;
      this.topics.set(key, t);
    }
    const sub: Subscriber = { filter, send };
    t.subs.add(sub);
    const rows = await this.read(t);
    sub.send(view(rows, filter, t.tz, this.deps.clock.now()));
    const topic = t;
    return () => {
      topic.subs.delete(sub);
      if (topic.subs.size === 0) {
        clearInterval(topic.refresh);
        if (topic.timer) clearTimeout(topic.timer);
        this.topics.delete(key);
        if (this.topics.size === 0 && this.releaseRemote) {
          this.releaseRemote();
          this.releaseRemote = null;
        }
      }
    };
  }

  /** One snapshot without subscribing (GET /live asked for JSON). */
  async snapshot(org: string, tz: string, filter: LiveFilter): Promise<LiveSnapshot> {
    const rows = await this.read({ org, tz });
    return view(rows, filter, tz, this.deps.clock.now());
  }

  close(): void {
    this.unsubscribeBus();
    for (const t of this.topics.values()) {
      clearInterval(t.refresh);
      if (t.timer) clearTimeout(t.timer);
    }
    this.topics.clear();
    this.releaseRemote?.();
    this.releaseRemote = null;
  }

  private schedule(t: Topic): void {
    if (t.timer) return;
    t.timer = setTimeout(() => {
      t.timer = null;
      void this.publish(t);
    }, DEBOUNCE_MS);
  }

  private async publish(t: Topic): Promise<void> {
    if (t.reading) {
      t.again = true;
      return;
    }
    t.reading = true;
    try {
      const rows = await this.read(t);
      const now = this.deps.clock.now();
      for (const s of t.subs) s.send(view(rows, s.filter, t.tz, now));
    } catch (e) {
      this.onError(e);
    } finally {
      t.reading = false;
      if (t.again) {
        t.again = false;
        this.schedule(t);
      }
    }
  }

  private read(t: Pick<Topic, 'org' | 'tz'>): Promise<LiveActivityRows> {
    const now = this.deps.clock.now();
    return getLiveActivity(this.deps.db.kysely, {
      organizationId: t.org,
      now,
      todayStart: todayWindow(now, t.tz).start,
    });
  }
}

function view(rows: LiveActivityRows, f: LiveFilter, tz: string, now: number): LiveSnapshot {
  const keep = (itemId: string, projectId: string | null) =>
    (!f.licenseItemId || itemId === f.licenseItemId) && (!f.projectId || projectId === f.projectId);
  const all = rows.sessions.filter((s) => s.lease_expires_at > now && keep(s.license_item_id, s.project_id));
  const sessions: LiveSession[] = all.slice(0, LIVE_SESSION_LIMIT).map((s) => ({
    id: s.id,
    licenseItemId: s.license_item_id,
    projectId: s.project_id,
    program: s.program,
    version: s.version,
    email: s.email,
    machine: s.hostname ?? s.fingerprint, // as session history names it
    mode: s.mode === 'full' ? 'full' : 'limited',
    startedAt: isoInZone(s.started_at, tz),
    leaseExpiresAt: isoInZone(s.lease_expires_at, tz),
  }));
  const counts: Record<string, number> = {};
  for (const c of rows.counts)
    if (keep(c.license_item_id, c.project_id)) counts[c.kind] = (counts[c.kind] ?? 0) + c.n;
  return {
    at: isoInZone(now, tz),
    sessions,
    truncated: all.length > sessions.length,
    today: { start: isoInZone(todayWindow(now, tz).start, tz), timeZone: tz, counts },
  };
}
