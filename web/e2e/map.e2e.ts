import { DESKTOP, expect, expectAccessible, gotoReady, mapIdle, screenshot, test, uniqueHandle, waitForMap } from './fixtures';

// Issue 12: a map you can find your street on — street tiles from the API, street names at street zoom, address
// search to set home and jump the board, hexagon boards titled with their place.

const KARL_MARX_ALLEE_MITTE = { lat: 52.5205, lon: 13.42145 };
const BAUMSCHULENWEG_SONNENALLEE = { lat: 52.46143, lon: 13.47925 };

/** Metres between two nearby points. */
function metres(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const x = (b.lon - a.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
  const y = (b.lat - a.lat) * 111_320;
  return Math.hypot(x, y);
}

test.describe('street map and addresses (desktop)', () => {
  test.use(DESKTOP);

  test('paints street lines and street names at zoom 16 from vector tiles', async ({ page, problems }) => {
    const tiles: string[] = [];
    const geojson: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/tiles/base/')) tiles.push(path);
      if (path.endsWith('.geojson')) geojson.push(path);
    });
    await page.goto('/?lat=52.52190&lon=13.41320&z=16.00');
    await waitForMap(page);
    const rendered = await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      const names = map.queryRenderedFeatures({ layers: ['street-labels'] }).map((f) => String(f.properties.name));
      return {
        zoom: map.getZoom(),
        streets: map.queryRenderedFeatures({ layers: ['streets'] }).length,
        labels: names.length,
        names: [...new Set(names)],
        placeLabels: map.queryRenderedFeatures({ layers: ['neighborhood-labels'] }).length,
      };
    });
    expect(rendered.zoom).toBeCloseTo(16, 1);
    expect(rendered.streets).toBeGreaterThan(5);
    expect(rendered.labels).toBeGreaterThan(2);
    expect(rendered.names.some((n) => /straße|platz|allee/i.test(n))).toBe(true);
    expect(tiles.length).toBeGreaterThan(0);
    // the base map no longer comes as GeoJSON up front
    expect(geojson).toEqual([]);
    await screenshot(page, 'board-streets-z16', { reference: true });
    expect(problems).toEqual([]);
  });

  test('finds my street and sets home by address', async ({ page, problems }) => {
    test.setTimeout(240_000);
    const handle = uniqueHandle('addr');
    await gotoReady(page, '/signup');
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Display name').fill('Address Neighbour');
    await page.getByLabel('Email').fill(`${handle}@example.org`);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/me?welcome=1');
    await waitForMap(page);

    const search = page.getByRole('combobox', { name: 'Find your street' });
    await search.fill('karl marx alee 12');
    const option = page.getByRole('option').first();
    await expect(option).toContainText('Karl-Marx-Allee 12');
    await expect(option).toContainText('10178 Mitte');
    await option.click();
    await expect(search).toHaveValue('Karl-Marx-Allee 12, 10178 Berlin-Mitte');
    const picker = page.locator('.picker').first();
    await expect(picker).toHaveAttribute('data-cell', /^[0-9a-f]{15}$/);
    await expect(page.locator('input[name="lat"]')).toHaveValue(String(KARL_MARX_ALLEE_MITTE.lat));
    await page.getByRole('button', { name: 'Save home' }).click();
    await expect(page.getByText('Home saved.')).toBeVisible();
    await mapIdle(page);
    await screenshot(page, 'me-home-by-address', { fullPage: true });
    await expectAccessible(page);

    // The board now opens at that home: within one res-9 hexagon of the street's point.
    await page.goto('/');
    await waitForMap(page);
    const centre = await page.evaluate(() => window.__hexhoodMap!.getCenter());
    expect(metres(KARL_MARX_ALLEE_MITTE, { lat: centre.lat, lon: centre.lng })).toBeLessThan(250);

    // Placing a post by address: the picker takes the street's point.
    await gotoReady(page, '/compose');
    await waitForMap(page);
    const where = page.getByRole('combobox', { name: 'Find a street' });
    await where.fill('Sonnenallee 12437');
    await expect(page.getByRole('option').first()).toContainText('12437 Baumschulenweg');
    await where.press('Enter');
    await expect(page.locator('input[name="lat"]')).toHaveValue(String(BAUMSCHULENWEG_SONNENALLEE.lat));
    await expect(page.locator('input[name="lon"]')).toHaveValue(String(BAUMSCHULENWEG_SONNENALLEE.lon));
    expect(problems).toEqual([]);
  });

  test('jumps the board to a street, says when a street has no point, and titles a hexagon with its place', async ({ page, problems }) => {
    await page.goto('/');
    await waitForMap(page);
    const search = page.getByRole('combobox', { name: 'Find a street' });
    await search.fill('Sonnenallee 12437');
    await expect(page.getByRole('option').first()).toContainText('12437 Baumschulenweg');
    await search.press('Enter');
    await expect
      .poll(() =>
        page.evaluate(() => {
          const m = window.__hexhoodMap!;
          return m.isMoving() ? null : { ...m.getCenter(), zoom: m.getZoom() };
        }),
      )
      .toMatchObject({ zoom: expect.closeTo(16, 1) });
    const centre = await page.evaluate(() => window.__hexhoodMap!.getCenter());
    expect(metres(BAUMSCHULENWEG_SONNENALLEE, { lat: centre.lat, lon: centre.lng })).toBeLessThan(50);

    // A street the street layer does not cover is found, and the page says it has no point.
    await search.fill('AEG-Straße');
    const aeg = page.getByRole('option').first();
    await expect(aeg).toContainText('not on the map');
    await aeg.click();
    await expect(page.getByTestId('address-note')).toContainText('has no point on the map');

    // A hexagon board is titled with its main street and Ortsteil.
    await page.goto('/?lat=52.50790&lon=13.44980&z=15.00&cell=881f1d4d05fffff');
    await expect(page.locator('#feed-heading')).toContainText('Friedrichshain');
    await expect(page.locator('#feed-heading')).not.toContainText('This hexagon');
    expect(problems).toEqual([]);
  });
});
