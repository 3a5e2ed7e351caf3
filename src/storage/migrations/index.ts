import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './2026-11-25-001-initial.ts';
import * as m002 from './2026-11-25-002-session-history-indexes.ts';
import * as m003 from './2026-11-25-003-alerts-webhooks.ts';
import * as m004 from './2026-11-25-004-open-seats-index.ts';
import * as m005 from './2026-11-25-005-usage-statistics-index.ts';
import * as m006 from './2026-11-25-006-rollup-levels.ts';
import * as m007 from './2026-11-25-007-ledger-item-kind-index.ts';
import * as m008 from './2026-11-25-008-clustered-rollups.ts';
import * as m009 from './2026-11-25-009-drop-ledger-org-at.ts';
import * as m010 from './2026-11-26-010-mail-outbox.ts';
import * as m011 from './2026-11-26-011-login-failures.ts';
import * as m012 from './2026-11-26-012-webhook-attempts.ts';
import * as m013 from './2026-11-26-013-api-token-parents.ts';

/** Static list so migrations work from a bundle or tsx alike; names sort by date. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '2026-11-25-001-initial': m001,
      '2026-11-25-002-session-history-indexes': m002,
      '2026-11-25-003-alerts-webhooks': m003,
      '2026-11-25-004-open-seats-index': m004,
      '2026-11-25-005-usage-statistics-index': m005,
      '2026-11-25-006-rollup-levels': m006,
      '2026-11-25-007-ledger-item-kind-index': m007,
      '2026-11-25-008-clustered-rollups': m008,
      '2026-11-25-009-drop-ledger-org-at': m009,
      '2026-11-26-010-mail-outbox': m010,
      '2026-11-26-011-login-failures': m011,
      '2026-11-26-012-webhook-attempts': m012,
      '2026-11-26-013-api-token-parents': m013,
    };
  },
};
