import type { components } from '$lib/api/schema';
import { localDateTimeToIso } from '$lib/event-time';
import { text } from '$lib/server/forms';
import type { Audience } from '$lib/api/client';
import { parseTags } from '$lib/format';
import {
  AUDIENCES,
  BODY_MAX,
  EVENT_CAPACITY_MAX,
  PRECISIONS,
  SALE_CONDITIONS,
  SALE_PRICE_MAX_CENTS,
  TAG_MAX_LENGTH,
  TAGS_MAX,
  TITLE_MAX,
} from '$contract';

type Body = components['schemas']['UpdatePostBody'];

const TAG_PATTERN = new RegExp(`^[a-z0-9][a-z0-9-]{0,${TAG_MAX_LENGTH - 1}}$`);

/** The fields compose and edit share, as the form sent them. */
export interface CommonPostValues {
  title: string;
  body: string;
  tags: string;
  audience: string;
  precision: string;
  lat: string;
  lon: string;
  eventStartsAt: string;
}

/**
 * Checks the fields compose and edit share (title, text, tags, place, precision, audience, an event's start in Berlin
 * time) and returns them parsed, with an error message per field that is wrong.
 */
export function checkCommonPostFields(values: CommonPostValues, kind: string) {
  const errors: Record<string, string> = {};
  if (!values.title) errors.title = 'Give your post a title.';
  else if (values.title.length > TITLE_MAX) errors.title = `Keep the title to ${TITLE_MAX} characters.`;
  if (values.body.length > BODY_MAX) errors.body = `Keep the text to ${BODY_MAX} characters.`;
  const tags = parseTags(values.tags);
  if (tags.length > TAGS_MAX) errors.tags = `Use at most ${TAGS_MAX} tags.`;
  else if (tags.some((t) => !TAG_PATTERN.test(t))) errors.tags = `Tags use lowercase letters, digits and dashes (up to ${TAG_MAX_LENGTH}).`;
  const lat = Number(values.lat);
  const lon = Number(values.lon);
  if (!values.lat || !values.lon || !Number.isFinite(lat) || !Number.isFinite(lon)) errors.location = 'Choose a place on the map.';
  const precision = Number(values.precision);
  if (!(PRECISIONS as readonly number[]).includes(precision)) errors.precision = 'Choose how precisely to place the post.';
  const audience = values.audience as Audience;
  if (!(AUDIENCES as readonly string[]).includes(audience)) errors.audience = 'Choose who can see the post.';
  // Event times are entered in the city's zone (Europe/Berlin) and sent to the API as the instant they name.
  const eventStartsAt = kind === 'event' ? localDateTimeToIso(values.eventStartsAt) : null;
  if (kind === 'event' && !eventStartsAt) errors.eventStartsAt = 'When does the event start?';
  return { errors, tags, location: { lat, lon }, precision: precision as 7 | 8 | 9, audience, eventStartsAt };
}

/** The raw form values of KindFields.svelte, to refill the form after a failed submission. */
export function kindFieldValues(form: FormData): Record<string, string> {
  const names = ['eventEndsAt', 'eventPlace', 'eventCapacity', 'pollClosesAt', 'free', 'salePrice', 'saleCondition'];
  return Object.fromEntries(names.map((n) => [n, text(form, n)]));
}

/** "12,50" / "12.50" / "12" euros → cents; null when it is not a price. */
export function parseEuros(value: string): number | null {
  const m = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*€?\s*$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** An instant from a datetime-local field, read as Berlin time (the city's zone) whatever the browser's zone. */
function instant(form: FormData, name: string): string | null {
  return localDateTimeToIso(text(form, name));
}

/**
 * The kind-specific fields of compose and edit. `clearing` (edit) sends null for an emptied optional field so it is
 * removed; compose just leaves it out.
 */
export function parseKindFields(form: FormData, kind: string, clearing: boolean): { fields: Partial<Body>; errors: Record<string, string> } {
  const fields: Partial<Body> = {};
  const errors: Record<string, string> = {};
  const empty = (name: string) => !text(form, name).trim();
  if (kind === 'event') {
    if (!empty('eventEndsAt')) {
      const endsAt = instant(form, 'eventEndsAt');
      if (endsAt) fields.eventEndsAt = endsAt;
      else errors.eventEndsAt = 'Give the end as a date and time.';
    } else if (clearing) fields.eventEndsAt = null;
    const place = text(form, 'eventPlace').trim();
    if (place) fields.eventPlace = place;
    else if (clearing) fields.eventPlace = null;
    if (!empty('eventCapacity')) {
      const capacity = Number(text(form, 'eventCapacity'));
      if (Number.isInteger(capacity) && capacity >= 1 && capacity <= EVENT_CAPACITY_MAX) fields.eventCapacity = capacity;
      else errors.eventCapacity = 'Give the number of places as a whole number, or leave it empty.';
    } else if (clearing) fields.eventCapacity = null;
  }
  if (kind === 'poll') {
    if (!empty('pollClosesAt')) {
      const closesAt = instant(form, 'pollClosesAt');
      if (closesAt) fields.pollClosesAt = closesAt;
      else errors.pollClosesAt = 'Give the closing time as a date and time.';
    } else if (clearing) fields.pollClosesAt = null;
  }
  if (kind === 'for_sale') {
    if (text(form, 'free') === 'on') fields.salePriceCents = 0;
    else {
      const cents = parseEuros(text(form, 'salePrice'));
      if (cents === null || cents > SALE_PRICE_MAX_CENTS) errors.salePriceCents = 'Give a price in euros (e.g. 25 or 12,50), or tick “Free”.';
      else fields.salePriceCents = cents;
    }
    const condition = text(form, 'saleCondition');
    if ((SALE_CONDITIONS as readonly string[]).includes(condition)) fields.saleCondition = condition as Body['saleCondition'];
  }
  return { fields, errors };
}

/** A stored instant as the value of a datetime-local field, in Berlin time (the demo city's zone). */
export function berlinLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Berlin',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
