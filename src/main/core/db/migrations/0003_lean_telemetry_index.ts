/**
 * 0003 — telemetry keeps one index. Samples are written behind at about 170 rows/s for 10 000
 * devices, and each index is one more B-tree insert per sample on the event loop; the index on
 * `at` served only the hourly retention purge, which now deletes by rowid instead (samples are
 * appended in time order, so the expired ones are the lowest rowids — telemetry-repo.ts).
 */
export const sql = `
DROP INDEX IF EXISTS telemetry_by_age;
`;
