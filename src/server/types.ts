import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import type { LeaseSigner } from '../core/lease-signer.ts';
import type { Db } from '../storage/db.ts';

/** What routes may use: no globals, everything injected by buildApp. */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  signer: LeaseSigner;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A route module: one file, one route (or a tight family), registered from its folder's index. */
export type RouteModule = (app: App, deps: Deps) => void | Promise<void>;
