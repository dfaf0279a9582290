/**
 * "1 device", "2 devices", "0 devices": every printed count goes through here so no screen or
 * log line says "1 devices". Irregular plurals are passed in ("1 entry", "3 entries").
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
