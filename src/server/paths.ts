import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package root (holds package.json), found from this module whether run from src/ or a dist/ bundle. */
export function packageRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}
