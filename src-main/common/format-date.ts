/**
 * A moment (an ISO timestamp) as the studio shows it everywhere — the Library's "Added", the
 * Queue's "Finished": medium date and short time in the user's locale (`locale`/`timeZone` are
 * for tests). An unparsable date is shown as it came rather than as "Invalid Date".
 */
export function formatDate(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}
