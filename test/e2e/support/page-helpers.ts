/** Reading figures off the page: wait until a test id shows a text, read numbers as the page formats them. */
import type { Page } from 'playwright-core';

export const fmt = (n: number): string => new Intl.NumberFormat('en-US').format(n);

export async function waitForText(
  page: Page,
  testId: string,
  expected: string,
  timeout = 15_000,
): Promise<void> {
  try {
    await page.waitForFunction(
      ([id, exp]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === exp,
      [testId, expected] as const,
      { timeout },
    );
  } catch {
    const got = await page
      .locator(`[data-testid="${testId}"]`)
      .first()
      .textContent()
      .catch(() => null);
    await page
      .screenshot({ path: `test-results/screenshots/failure-${testId}.png`, fullPage: true })
      .catch(() => undefined);
    throw new Error(
      `[data-testid=${testId}] shows ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

export async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
}

/** Collects uncaught page errors so a test can assert the portal never crashed. */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Picks the viewer's time zone in the page header and waits until the account remembers it. */
export async function selectZone(page: Page, zone: string): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/users/me') && r.request().method() === 'PATCH'),
    page.getByTestId('tz-select').first().selectOption(zone),
  ]);
}
