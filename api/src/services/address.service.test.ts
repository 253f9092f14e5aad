import { describe, expect, it } from 'vitest';
import { parseAddressQuery } from './address.service.ts';

describe('parseAddressQuery', () => {
  it.each([
    ['karl marx alee 12', 'karl marx alee', '12'],
    ['Karl-Marx-Allee', 'Karl-Marx-Allee', null],
    ['Sonnenallee 10245', 'Sonnenallee 10245', null],
    ['Sonnenallee 12a, 12047', 'Sonnenallee 12047', '12A'],
    ['Sonnenallee 12 a', 'Sonnenallee', '12A'],
    ['Straße des 17. Juni 100', 'Straße des 17. Juni', '100'],
    ['12', '12', null],
    ['  ', '', null],
  ])('%j → words %j, house number %j', (q, words, houseNumber) => {
    expect(parseAddressQuery(q)).toEqual({ words, houseNumber });
  });
});
