/** A palette that stays readable for many projects/items; "unused", "limited" and "declined" get fixed colours. */
export const PALETTE = [
  '#4f46e5',
  '#0ea5e9',
  '#10b981',
  '#f59e0b',
  '#ec4899',
  '#8b5cf6',
  '#14b8a6',
  '#f97316',
  '#64748b',
  '#84cc16',
];
export const FIXED_COLORS: Record<string, string> = {
  remaining: '#e2e8f0',
  unassigned: '#94a3b8',
  full: '#4f46e5',
  limited: '#f59e0b',
  declined: '#ef4444',
  total: '#0f172a',
  peak: '#7c3aed',
};
