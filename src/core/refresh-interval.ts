/** Refresh intervals as written on tags: "30m", "2h", "1d", "1w". */
const UNIT_S = { m: 60, h: 3600, d: 86400, w: 604800 } as const;

export function parseRefreshInterval(text: string): number | null {
  const m = /^([1-9][0-9]{0,4})([mhdw])$/.exec(text);
  if (!m) return null;
  const seconds = Number(m[1]) * UNIT_S[m[2] as keyof typeof UNIT_S];
  return seconds <= 366 * 86400 ? seconds : null;
}

export function formatRefreshInterval(seconds: number): string {
  for (const [unit, s] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
  ] as const) {
    if (seconds % s === 0) return `${seconds / s}${unit}`;
  }
  return `${Math.round(seconds / 60)}m`;
}
