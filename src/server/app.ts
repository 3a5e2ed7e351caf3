/** Builds the Fastify application without listening, so tests drive it with inject() or a real port. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { newId } from '../core/ids.ts';
import { installNotifications } from './notifications.ts';
import { openApiOptions } from './openapi.ts';
import { packageRoot } from './paths.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerClientRateLimit } from './plugins/client-rate-limit.ts';
import { registerDraining } from './plugins/draining.ts';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.ts';
import { registerInputGuard } from './plugins/input-guard.ts';
import { registerJsonBody } from './plugins/json-body.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { AJV_OPTIONS, buildValidator } from './plugins/validation.ts';
import clientRoutes from './routes/client/index.ts';
import health from './routes/health.ts';
import portalRoutes from './routes/portal/index.ts';
import vendorRoutes from './routes/vendor/index.ts';
import type { App, Deps } from './types.ts';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** folder with the built web portal; served at / when present */
  webDist?: string;
}

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.trustProxy,
    genReqId: () => newId('req'),
    frameworkErrors,
    // plugins/draining.ts answers requests that arrive while closing, in the API's error shape
    return503OnClosing: false,
    ajv: AJV_OPTIONS,
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  registerErrorHandling(app);
  registerJsonBody(app);
  registerDraining(app);
  registerMetrics(app);
  registerInputGuard(app);
  await registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Helmet's default would make a browser fetch every asset over https: a server reached over
        // plain http on a LAN address (HOST=0.0.0.0, no TLS proxy) showed a blank portal
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  registerAuth(app, deps);
  installNotifications(app, deps); // after-commit alerts and live feed
  await registerClientRateLimit(app, {
    perKeyPerMinute: deps.config.clientRateLimitPerMinute,
    redisUrl: deps.config.redisUrl,
  });
  await app.register(swagger, openApiOptions);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      const a = api as unknown as App;
      await health(a, deps);
      for (const r of clientRoutes) await r(a, deps);
      for (const r of portalRoutes) await r(a, deps);
      for (const r of vendorRoutes) await r(a, deps);
    },
    { prefix: '/api/v1' },
  );

  const webDist = opts.webDist ?? resolve(packageRoot(), 'web/dist');
  if (existsSync(resolve(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    // SPA: unknown non-API GET paths get the app shell; everything else keeps the JSON 404
    // (a route, because registerErrorHandling already owns the not-found handler).
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  } else {
    // a checkout that was never built: the API works, / is a bare 404
    app.log.warn(
      `web portal not built (no ${resolve(webDist, 'index.html')}): / answers 404 until \`npm run build:web\` builds it`,
    );
  }
  return app;
}
