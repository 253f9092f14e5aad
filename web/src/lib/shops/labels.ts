// Display names of shop categories (issue 10).
export const CATEGORY_LABELS: Record<string, string> = {
  bakery: 'Bakery',
  cafe: 'Café',
  restaurant: 'Restaurant',
  supermarket: 'Supermarket',
  bar: 'Bar',
  pub: 'Pub',
  biergarten: 'Beer garden',
  nightclub: 'Club',
  pharmacy: 'Pharmacy',
  fitness_centre: 'Gym',
  bank: 'Bank',
  marketplace: 'Market',
  other: 'Other',
};
