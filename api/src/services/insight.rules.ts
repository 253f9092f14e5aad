// Rules shared by the aggregate views (heat maps, trends).

/** k-anonymity: an aggregate over fewer distinct people than this is not shown. */
export const K_ANONYMITY = 10;

/** 'YYYY-MM-DD' of a moment in UTC — the rollups' day. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}
