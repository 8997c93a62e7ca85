/** CLI invocations quoted in user-facing messages, kept in one place so they stay in sync. */
export const downloadCommand = (id: string): string => `npm run cli -- models download ${id}`;

export const importCommand = 'npm run cli -- models import <file>';
