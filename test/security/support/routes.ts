/**
 * The routes an app really serves, read from its own router (app.printRoutes), so a sweep over
 * them covers a route the moment it is added. HEAD twins of GET routes are left out.
 */
import type { App } from '../../../src/server/types.ts';

export interface RouteRef {
  method: string;
  /** the route template, e.g. /api/v1/projects/:id/stats */
  url: string;
}

/** Parses printRoutes' tree: each level is 4 columns; a node's path continues its parent's. */
export function listRoutes(app: App, prefix = '/api/v1/'): RouteRef[] {
  const stack: string[] = [];
  const out: RouteRef[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const url = stack.join('');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD' && url.startsWith(prefix)) out.push({ method, url });
    }
  }
  return out;
}

export const routeKey = (r: RouteRef): string => `${r.method} ${r.url.replace(/^\/api\/v1/, '')}`;

/** Fills :params of a template. */
export function fillParams(url: string, params: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
