export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** the same-run baseline this figure is compared with */
  baseline?: { name: string; value: number; unit: string };
  /** value ÷ baseline (or as defined by the figure) */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(n);
