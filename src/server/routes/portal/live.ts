/**
 * GET /live: server-sent events with the organization's active sessions and today's counters
 * (contract/live.ts). Admins see their own organization; vendors name one, or an item or project.
 * Every change committed by any server process pushes a fresh `snapshot` event; a comment line
 * every 25 s keeps proxies from closing the idle stream. Without `Accept: text/event-stream` the
 * answer is one JSON `{snapshot}`.
 */
import type { ServerResponse } from 'node:http';
import { LicstatError } from '../../../contract/errors.ts';
import { LiveQuerySchema, type LiveSnapshot } from '../../../contract/live.ts';
import { getLicenseItem, getProject } from '../../../storage/catalog-repository.ts';
import { notificationsOf } from '../../notifications.ts';
import { credentialStillValid } from '../../plugins/auth.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { organizationOf, zoneOf } from './common.ts';
import { LiveResponse } from './stats-schemas.ts';

const HEARTBEAT_MS = 25_000;
const RECHECK_MS = 10_000;
const SEND_CHECK_MS = 2_000;

const live: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  // open streams end when the server closes (otherwise close() would wait for the browsers)
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const r of streams) r.end();
    streams.clear();
  });
  app.get(
    '/live',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Live activity (text/event-stream): active sessions and today’s counters, pushed on every change',
        querystring: LiveQuerySchema,
        response: LiveResponse,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const q = request.query;
      const tz = zoneOf(p, q.tz);
      let org: string;
      if (q.licenseItemId) {
        const item = await getLicenseItem(db, scopeOf(p), q.licenseItemId);
        if (!item) throw new LicstatError('NOT_FOUND', `no license item ${q.licenseItemId}`);
        org = item.organization_id;
      } else if (q.projectId) {
        const project = await getProject(db, scopeOf(p), q.projectId);
        if (!project) throw new LicstatError('NOT_FOUND', `no project ${q.projectId}`);
        org = project.organization_id;
      } else {
        org = await organizationOf(db, p, q.organizationId);
      }

      const filter = { licenseItemId: q.licenseItemId, projectId: q.projectId };
      // without `Accept: text/event-stream` (EventSource sends it) the answer is one JSON snapshot
      if (!(request.headers.accept ?? '').includes('text/event-stream'))
        return { snapshot: await notificationsOf(deps).live.snapshot(org, tz, filter) };

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': licstat live\n\n');
      // The login this stream was opened with must still stand: a logout, a password change, a
      // disabled user or a revoked token ends the stream (the browser reconnects and gets its 401).
      // Checked every RECHECK_MS, and before a snapshot once the last check is SEND_CHECK_MS old.
      let checkedAt = Date.now();
      const stillValid = async (): Promise<boolean> => {
        checkedAt = Date.now();
        try {
          if (await credentialStillValid(deps, request, p)) return true;
        } catch (e) {
          request.log.warn({ err: e }, 'live: re-checking the login failed');
          return true; // a database hiccup is not a logout
        }
        if (!res.writableEnded) {
          cleanup();
          res.end();
        }
        return false;
      };
      // snapshots go out in order: a check before one must not let a later one overtake it
      let sending: Promise<unknown> = Promise.resolve();
      const send = (s: LiveSnapshot) => {
        sending = sending.then(async () => {
          if (Date.now() - checkedAt > SEND_CHECK_MS && !(await stillValid())) return;
          if (!res.writableEnded) res.write(`event: snapshot\ndata: ${JSON.stringify(s)}\n\n`);
        });
      };
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const recheck = setInterval(() => void stillValid(), RECHECK_MS);
      let unsubscribe: (() => void) | null = null;
      let closed = false;
      const cleanup = () => {
        closed = true;
        clearInterval(heartbeat);
        clearInterval(recheck);
        streams.delete(res);
        unsubscribe?.();
        unsubscribe = null;
      };
      request.raw.on('close', cleanup);
      streams.add(res);
      res.on('close', () => streams.delete(res));
      try {
        const u = await notificationsOf(deps).live.subscribe(org, tz, filter, send);
        if (closed) u();
        else unsubscribe = u;
      } catch (e) {
        request.log.error({ err: e }, 'live subscribe');
        cleanup();
        res.end();
      }
    },
  );
};
export default live;
