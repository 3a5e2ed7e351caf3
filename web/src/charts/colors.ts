/** Stable colours per slice/series key, so a project has the same colour in every chart of a page. */
import { FIXED_COLORS, PALETTE } from './echarts-colors.ts';

export function colorScale(keys: readonly string[]): (key: string) => string {
  const map = new Map<string, string>();
  let i = 0;
  for (const k of keys) {
    if (FIXED_COLORS[k] || map.has(k)) continue;
    map.set(k, PALETTE[i % PALETTE.length]!);
    i++;
  }
  return (key) => FIXED_COLORS[key] ?? map.get(key) ?? '#64748b';
}
