// Small helpers for benchmarks: percentiles and aligned output.

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export const median = (values: number[]) => percentile(values, 50);

export function fmt(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;
}

export function report(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}
