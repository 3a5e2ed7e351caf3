/**
 * Client use cases, callable without HTTP (the CLI's simulate/demo seeder writes history through
 * them with explicit past times). Each runs in one transaction and takes `now` explicitly.
 */
export { type ActivateInput, type ActivateResult, activate } from './activate.ts';
export type { ClientKey } from './client-key.ts';
export { deactivate } from './deactivate.ts';
export { type EndedSession, endSession } from './end-session.ts';
export { renewSession } from './renew-session.ts';
export { type ReportUsageInput, reportUsage, type UsageAnswer } from './report-usage.ts';
export {
  type Lease,
  type StartSessionInput,
  type StartSessionResult,
  startSession,
} from './start-session.ts';
export { type TakeInput, type TakeResult, take } from './take.ts';

import { LicstatError } from '../../contract/errors.ts';
import type { Executor } from '../../storage/executor.ts';
import { findLicenseKey } from '../../storage/license-key-repository.ts';
import type { ClientKey } from './client-key.ts';

/** Resolves a license key (activation code or project key) for calling the use cases directly. */
export async function resolveClientKey(db: Executor, raw: string): Promise<ClientKey> {
  const found = await findLicenseKey(db, raw);
  if (!found)
    throw new LicstatError('LICENSE_NOT_FOUND', 'no activation code or project key matches this key');
  return { ...found, raw };
}
