import type { LatLonPoint } from './area';

/**
 * The board map's last centre, so the Search and Trends links can offer "near the map centre". Written
 * only in the browser (the board's settled moves), so server renders never share it between visitors.
 */
export const mapCentre = $state<{ value: LatLonPoint | null }>({ value: null });

export function centreSearch(): string {
  const c = mapCentre.value;
  return c ? `?lat=${c.lat.toFixed(5)}&lon=${c.lon.toFixed(5)}` : '';
}
