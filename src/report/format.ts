/** Number formatting shared by the Markdown and HTML reports. */
export function micros(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(2)} s`;
  if (value >= 1_000) return `${(value / 1_000).toFixed(2)} ms`;
  return `${Math.round(value)} µs`;
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function shardsLabel(shards: readonly { index: number; count: number }[]): string {
  if (shards.length === 1 && shards[0]?.count === 1) return 'whole seed space';
  return `shard${shards.length > 1 ? 's' : ''} ${shards.map((s) => `${s.index}/${s.count}`).join(', ')}`;
}
