/**
 * Keys for listing media by name, stored with each item (migration 0008) so that sorting and
 * filtering a large library never runs JavaScript per item. SQLite's lower() and collations know
 * ASCII only, and names often are not ("Über.wav").
 */

/** A name folded for "name contains" filters: lower case in every script. */
export const foldName = (name: string): string => name.toLocaleLowerCase('und');

/** The key names sort by: "Über" with the u's, case and accents set aside (NFKD, marks dropped). */
export const nameSortKey = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('und');
