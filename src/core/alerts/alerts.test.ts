import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../../contract/alerts.ts';
import { isPrivateAddress } from '../../server/alerts/target-guard.ts';
import { mergeChanges } from '../../storage/ledger-feed.ts';
import { GIVE_UP_AFTER_MS, nextAttemptAt, retryDelayMs } from './backoff.ts';
import { declinesHold, dueExpiryDays, quotaConditions } from './rules.ts';
import { signWebhook, verifyWebhook } from './signature.ts';

const DAY = 86_400_000;

describe('alert rules', () => {
  test('quota thresholds hold from exactly the threshold; quota 0 never', () => {
    const held = (usage: number, quota: number) =>
      quotaConditions(DEFAULT_ALERT_SETTINGS, usage, quota)
        .filter((c) => c.holds)
        .map((c) => c.threshold);
    expect(held(2, 4)).toEqual([]);
    expect(held(3, 4)).toEqual([75]);
    expect(held(19, 20)).toEqual([75, 90, 95]);
    expect(held(21, 20)).toEqual([75, 90, 95, 100]);
    expect(held(5, 0)).toEqual([]);
  });
  test('declines: more than N', () => {
    expect(declinesHold(DEFAULT_ALERT_SETTINGS, 10)).toBe(false);
    expect(declinesHold(DEFAULT_ALERT_SETTINGS, 11)).toBe(true);
  });
  test('expiry windows', () => {
    const end = 100 * DAY;
    expect(dueExpiryDays(DEFAULT_ALERT_SETTINGS, end, end - 31 * DAY)).toEqual([]);
    expect(dueExpiryDays(DEFAULT_ALERT_SETTINGS, end, end - 30 * DAY)).toEqual([30]);
    expect(dueExpiryDays(DEFAULT_ALERT_SETTINGS, end, end - DAY)).toEqual([30, 7]);
    expect(dueExpiryDays(DEFAULT_ALERT_SETTINGS, end, end)).toEqual([]);
  });
});

describe('webhook backoff and signature', () => {
  test('30 s doubling, capped at an hour, given up after a day', () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000,
    ]);
    expect(nextAttemptAt(0, 1, 1000)).toBe(31_000);
    expect(nextAttemptAt(0, 30, GIVE_UP_AFTER_MS - 1000)).toBeNull();
  });
  test('the header is t=<unix>,v1=<hex hmac of "<t>.<body>">', () => {
    const h = signWebhook('s3cret', '{"a":1}', 1_700_000_000);
    expect(h).toBe(
      `t=1700000000,v1=${createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex')}`,
    );
    expect(verifyWebhook('s3cret', '{"a":1}', h, 1_700_000_100)).toBe(true);
    expect(verifyWebhook('s3cret', '{"a":2}', h, 1_700_000_100)).toBe(false);
    expect(verifyWebhook('s3cret', '{"a":1}', h, 1_700_001_000)).toBe(false); // too old
    expect(verifyWebhook('s3cret', '{"a":1}', 't=x,v1=zz', 1_700_000_000)).toBe(false);
  });
});

test('changes merge per organization and item', () => {
  const m = mergeChanges([
    { organizationId: 'o', licenseItemId: 'a', kinds: ['checkout'] },
    { organizationId: 'o', licenseItemId: 'a', kinds: ['full_access', 'checkout'] },
    { organizationId: 'o', licenseItemId: 'b', kinds: [] },
  ]);
  expect(m).toEqual([
    { organizationId: 'o', licenseItemId: 'a', kinds: ['checkout', 'full_access'] },
    { organizationId: 'o', licenseItemId: 'b', kinds: [] },
  ]);
});

test('private, loopback and link-local addresses are refused as webhook targets', () => {
  for (const ip of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    // IPv4 inside IPv6, as Node's URL parser spells [::ffff:127.0.0.1] and the other embeddings
    '::ffff:7f00:1',
    '::ffff:a00:1',
    '::ffff:0:7f00:1', // IPv4-translated (SIIT)
    '::ffff:0:a00:1',
    '::127.0.0.1',
    '::7f00:1',
    '::',
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2002:c0a8:101::',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
    'fc00::1',
    'fec0::1',
    'ff02::1',
    '198.18.0.1',
    '192.0.0.8',
    'not-an-address',
  ])
    expect(isPrivateAddress(ip), ip).toBe(true);
  for (const ip of [
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:1.1.1.1',
    '::ffff:101:101',
    '::ffff:0:101:101', // a public IPv4, translated
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2a00:1450:4001:80b::200e',
  ])
    expect(isPrivateAddress(ip), ip).toBe(false);
});
