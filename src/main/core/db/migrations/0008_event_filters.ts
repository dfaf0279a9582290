/**
 * 0007 — the Events page filters by time: an index on `at` keeps a time window from reading the
 * whole log (kind and device already have theirs).
 */
export const sql = `
CREATE INDEX events_by_at ON events (at);
`;
