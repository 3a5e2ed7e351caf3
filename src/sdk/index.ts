/** The licstat client SDK: browser-safe entry point. Node's disk queue: `src/sdk/node-queue.ts`. */

export type { LeasePayload } from '../contract/lease.ts';
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, renewalDelay } from './backoff.ts';
export {
  type Lease,
  LicstatClient,
  type LicstatClientEvents,
  type LicstatClientOptions,
  type LostReason,
  type TakeResult,
} from './client.ts';
export {
  type ClientSideCode,
  isLicstatClientError,
  LicstatClientError,
  type SdkErrorCode,
} from './errors.ts';
export { importLeaseKey, verifyLeaseToken } from './lease-verify.ts';
export { MemoryQueueStore, type QueuedBatch, type QueueStore, type UsageEvent } from './queue-store.ts';
export type { SdkClock, SdkTimers } from './timers.ts';
export type { UsageAck } from './usage-queue.ts';
