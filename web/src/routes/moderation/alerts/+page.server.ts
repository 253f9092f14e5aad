import { redirect } from '@sveltejs/kit';
import { ALERT_BODY_MAX, ALERT_CELLS_MAX, ALERT_LINK_MAX, ALERT_SEVERITIES, TITLE_MAX } from '$contract';
import { unwrap, type Region } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// issue 13: moderators post official alerts for one of their regions (or hexagons inside them) and see their alerts.

/** How long an alert runs, in hours: a choice rather than a date field, so nobody's time zone can shift it. */
const DURATIONS = [1, 3, 6, 12, 24, 72, 168, 336] as const;

type Option = { slug: string; name: string; kind: Region['kind'] };

/** The regions a moderator may alert: their own and everything below them (administrators: all). */
function alertableRegions(all: Region[], roles: { regionId: string }[], isAdmin: boolean): Option[] {
  const byId = new Map(all.map((r) => [r.id, r]));
  const mine = new Set(roles.map((r) => r.regionId));
  const allowed = (r: Region): boolean =>
    isAdmin || mine.has(r.id) || (r.parentId !== null && byId.has(r.parentId) && allowed(byId.get(r.parentId)!));
  const order = { city: 0, district: 1, neighborhood: 2 } as const;
  return all
    .filter(allowed)
    .sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name, 'de'))
    .map((r) => ({ slug: r.slug, name: r.name, kind: r.kind }));
}

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  const me = await unwrap(api.GET('/api/moderation/me'));
  if (!me.isAdmin && me.roles.length === 0)
    return { moderator: false as const, regions: [], regionIds: [], mine: [], durations: DURATIONS, prefillCells: '' };
  const [regions, mine] = await Promise.all([unwrap(api.GET('/api/regions')), unwrap(api.GET('/api/moderation/alerts'))]);
  return {
    moderator: true as const,
    regions: alertableRegions(regions.items, me.roles, me.isAdmin),
    regionIds: me.roles.map((r) => r.regionId),
    mine: mine.items,
    durations: DURATIONS,
    // from a hexagon board's "Post an alert here"
    prefillCells: (event.url.searchParams.get('cells') ?? '').slice(0, 200),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = {
      title: text(form, 'title').trim(),
      body: text(form, 'body'),
      severity: text(form, 'severity'),
      hours: text(form, 'hours'),
      link: text(form, 'link').trim(),
      areaKind: text(form, 'areaKind'),
      region: text(form, 'region'),
      cells: text(form, 'cells'),
    };
    const errors: Record<string, string> = {};
    if (!values.title) errors.title = 'Give the alert a title.';
    else if (values.title.length > TITLE_MAX) errors.title = `At most ${TITLE_MAX} characters.`;
    if (values.body.length > ALERT_BODY_MAX) errors.body = `At most ${ALERT_BODY_MAX} characters.`;
    if (!(ALERT_SEVERITIES as readonly string[]).includes(values.severity)) errors.severity = 'Choose how serious it is.';
    const hours = Number(values.hours);
    if (!(DURATIONS as readonly number[]).includes(hours)) errors.hours = 'Choose how long it runs.';
    if (values.link && (!/^https?:\/\//i.test(values.link) || values.link.length > ALERT_LINK_MAX))
      errors.link = 'A web address starting with https://';
    const cells = values.cells
      .split(/[\s,]+/)
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean);
    if (values.areaKind === 'cells') {
      if (!cells.length) errors.cells = 'List at least one hexagon.';
      else if (cells.length > ALERT_CELLS_MAX) errors.cells = `At most ${ALERT_CELLS_MAX} hexagons.`;
    } else if (!values.region) errors.region = 'Choose one of your regions.';
    if (Object.keys(errors).length) return failWith(400, values, errors);

    let id: string;
    try {
      const alert = await unwrap(
        serverApi(event).POST('/api/alerts', {
          body: {
            title: values.title,
            body: values.body,
            severity: values.severity as (typeof ALERT_SEVERITIES)[number],
            endsAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
            ...(values.link ? { link: values.link } : {}),
            area: values.areaKind === 'cells' ? { cells } : { region: values.region },
          },
        }),
      );
      id = alert.id;
    } catch (err) {
      const failed = failFromApi(err, values);
      // the API names the area's fields body.area…: show them at the chosen area field
      const data = failed.data as { errors: Record<string, string> };
      if (data.errors.area) data.errors[values.areaKind === 'cells' ? 'cells' : 'region'] = data.errors.area;
      return failed;
    }
    redirect(303, `/alerts/${id}`);
  },
};
