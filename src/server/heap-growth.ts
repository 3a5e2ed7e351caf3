/**
 * How far V8 lets the old generation grow past what survived the last full GC before it
 * collects again. V8's default picks a factor of up to 4 when GC is cheap, which suits a batch
 * job: a server streaming a million-row CSV export promotes a page's rows on every scavenge and
 * its heap climbed to ~4x its live size (PostgreSQL export: peak RSS 227 MB, heap 138 MB of which
 * ~33 MB live). Capping the factor at 1.25 collects that garbage early: peak RSS 137 MB (bench
 * figure 4); the export's time varied more between runs (12–44 s for 1M rows) than between the
 * two settings. A server with a small live heap pays a few more incremental mark-compacts.
 *
 * Set only by `licstat serve`, and not when the operator passed the flag on node's command line
 * (NODE_OPTIONS cannot carry V8 flags).
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;
const FLAG = '--heap-growing-percent';

export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.replace(/_/g, '-').startsWith(FLAG))) return false;
  // Read by V8 each time it sets the next old-generation limit, so setting it at run time works.
  v8.setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
