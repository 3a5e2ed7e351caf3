/** The SDK's entry point bundles for the browser: nothing on its import path needs Node. */
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

test('src/sdk/index.ts bundles for platform=browser without Node built-ins', async () => {
  const r = await build({
    entryPoints: [join(import.meta.dirname, '../../src/sdk/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  expect(r.errors).toEqual([]);
  const code = r.outputFiles[0]!.text;
  expect(code).toContain('Ed25519');
  expect(code).not.toMatch(/from ["']node:/);
  expect(code.length).toBeLessThan(60_000);
});
