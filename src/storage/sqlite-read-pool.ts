/**
 * Read-only SQLite connections on worker threads, as a Kysely dialect. better-sqlite3 runs a query
 * on the calling thread, so a statistics page (tens of milliseconds of aggregation) would stall
 * every client request queued behind it, and the queries of one page would run one after another
 * on one core. Here each worker holds its own read-only connection (WAL lets them read beside the
 * writer); a query goes to the worker with the fewest queries in flight, so one page's queries run
 * in parallel — as they do over PostgreSQL's pool — while the event loop stays free.
 *
 * Own code because no maintained Kysely dialect runs better-sqlite3 off the main thread; it is a
 * small driver (no transactions, no streaming: those stay on the main connections).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

// CommonJS source run with `eval: true`, so the bundled server and the TypeScript sources used by
// the tests start the same worker without a file of their own. Statements are cached per SQL
// text; statistics SQL inlines bucket boundaries (tens of kB for a year of weeks), so the cache
// is kept smaller than the main connection's.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file, { readonly: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = ' + workerData.cacheKib);
const cache = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size >= 200) cache.delete(cache.keys().next().value);
      cache.set(sql, stmt);
    }
    if (!stmt.reader) throw new Error('the read pool runs only queries that return rows');
    parentPort.postMessage({ id, rows: stmt.all(parameters) });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (e: Error) => void;
}

class ReadWorker {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;

  constructor(file: string, cacheKib: number, onExit: (w: ReadWorker) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, cacheKib } });
    // An idle worker must not keep the process alive; one with queries in flight must.
    this.worker.unref();
    this.worker.on(
      'message',
      (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.worker.unref();
        if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
        else p.resolve(m.rows!);
      },
    );
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      onExit(this);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`SQLite read worker exited (code ${code})`)));
  }

  run(id: number, sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, sql, parameters });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export class SqliteReadPool {
  private workers: ReadWorker[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly cacheKib: number,
  ) {}

  /** Runs one read query on the least busy worker; workers start on first use. */
  query(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the SQLite read pool is closed'));
    if (this.workers.length < this.size && this.workers.every((w) => w.pending.size > 0))
      this.workers.push(
        new ReadWorker(this.file, this.cacheKib, (dead) => {
          this.workers = this.workers.filter((w) => w !== dead);
        }),
      );
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.pending.size < best.pending.size) best = w;
    return best.run(this.nextId++, sql, parameters);
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.close()));
  }
}

class PoolConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReadPool) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.query(q.sql, q.parameters)) as R[] };
  }

  // biome-ignore lint/correctness/useYield: streaming is refused, see below
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite read pool does not stream: use the main connection');
  }
}

class PoolDriver implements Driver {
  private readonly connection: PoolConnection;
  constructor(private readonly pool: SqliteReadPool) {
    this.connection = new PoolConnection(pool);
  }
  async init(): Promise<void> {}
  // Every query is dispatched on its own, so one shared connection object serves all callers.
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async releaseConnection(): Promise<void> {}
  beginTransaction(): Promise<void> {
    throw new Error('the SQLite read pool runs no transactions');
  }
  commitTransaction(): Promise<void> {
    throw new Error('the SQLite read pool runs no transactions');
  }
  rollbackTransaction(): Promise<void> {
    throw new Error('the SQLite read pool runs no transactions');
  }
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

export function sqliteReadPoolDialect(pool: SqliteReadPool): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new PoolDriver(pool),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
