import type { Database, Statement } from 'better-sqlite3';
import type { DeviceList, DeviceListQuery, DeviceSortKey } from '../../../../shared/api';
import type { DeviceStatus } from '../../../../shared/status';
import { compareVersions, parseSearch, type VersionOp } from '../../../../shared/search-syntax';
import { FleetError } from '../../errors';
import { SUMMARY_SELECT, summaryFromRow } from '../device-codec';

export type DeviceFilter = Pick<DeviceListQuery, 'q' | 'status' | 'profileId' | 'tag'>;

/** ORDER BY expressions per sort key: the only way a sort reaches the SQL text. */
const SORT_SQL: Record<DeviceSortKey, string> = {
  status: "CASE d.status WHEN 'online' THEN 0 WHEN 'late' THEN 1 WHEN 'offline' THEN 2 WHEN 'pending' THEN 3 ELSE 4 END",
  name: 'd.name COLLATE NOCASE',
  id: 'd.id',
  location: 'd.location COLLATE NOCASE',
  profile: 'p.name COLLATE NOCASE',
  ip: 'd.ip',
  ssid: 'd.ssid COLLATE NOCASE',
  rssi: 'd.rssi',
  fwVersion: 'd.fw_version',
  inSync: '(d.cfgsn_reported IS d.cfgsn)',
  lastSeenAt: 'd.last_seen_at',
  createdAt: 'd.created_at',
};

/** Filter fragments: fixed SQL with named parameters; only which fragments apply varies. */
const LIKE = "LIKE @q ESCAPE '\\'";
const FILTER_SQL = {
  q: `(d.name ${LIKE} OR d.id ${LIKE} OR replace(d.id, ':', '') ${LIKE} OR d.ip ${LIKE} OR d.location ${LIKE}
       OR EXISTS (SELECT 1 FROM device_tags qt WHERE qt.device_id = d.id AND qt.tag ${LIKE}))`,
  status: 'd.status IN (SELECT value FROM json_each(@statuses))',
  noProfile: 'd.profile_id IS NULL',
  profile: 'd.profile_id = @profileId',
  tag: 'EXISTS (SELECT 1 FROM device_tags ft WHERE ft.device_id = d.id AND ft.tag = @tag)',
  // the search syntax (tag:, profile:, status:, location:, fw:), values always as JSON parameters
  searchTags: `(SELECT count(DISTINCT st.tag) FROM device_tags st WHERE st.device_id = d.id
       AND st.tag IN (SELECT value FROM json_each(@searchTags))) = @searchTagCount`,
  searchProfiles: `d.profile_id IN (SELECT sp.id FROM profiles sp
       WHERE lower(sp.name) IN (SELECT lower(value) FROM json_each(@searchProfiles)))`,
  searchStatuses: 'd.status IN (SELECT value FROM json_each(@searchStatuses))',
  searchLocations: `NOT EXISTS (SELECT 1 FROM json_each(@searchLocations) sl
       WHERE d.location NOT LIKE '%' || sl.value || '%' ESCAPE '\\')`,
} as const;
const VERSION_OP_SQL: Record<VersionOp, string> = { '<': '< 0', '<=': '<= 0', '>': '> 0', '>=': '>= 0', '=': '= 0' };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereOf(filter: DeviceFilter): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const search = parseSearch(filter.q ?? '');
  if (search.errors.length) throw new FleetError('bad_request', search.errors.join(' '));
  const q = search.text.trim();
  if (q) {
    parts.push(FILTER_SQL.q);
    params.q = `%${escapeLike(q)}%`;
  }
  if (search.tags.length) {
    parts.push(FILTER_SQL.searchTags);
    params.searchTags = JSON.stringify(search.tags);
    params.searchTagCount = new Set(search.tags).size;
  }
  if (search.profiles.length) {
    parts.push(FILTER_SQL.searchProfiles);
    params.searchProfiles = JSON.stringify(search.profiles);
  }
  if (search.statuses.length) {
    parts.push(FILTER_SQL.searchStatuses);
    params.searchStatuses = JSON.stringify(search.statuses);
  }
  if (search.locations.length) {
    parts.push(FILTER_SQL.searchLocations);
    params.searchLocations = JSON.stringify(search.locations.map(escapeLike));
  }
  search.fw.forEach((f, i) => {
    parts.push(`${VERSION_CMP}(d.fw_version, @fw${i}) ${VERSION_OP_SQL[f.op]}`);
    params[`fw${i}`] = f.version;
  });
  if (filter.status && filter.status.length > 0) {
    parts.push(FILTER_SQL.status);
    params.statuses = JSON.stringify(filter.status);
  }
  if (filter.profileId !== undefined) {
    if (filter.profileId === -1) parts.push(FILTER_SQL.noProfile);
    else {
      parts.push(FILTER_SQL.profile);
      params.profileId = filter.profileId;
    }
  }
  if (filter.tag) {
    parts.push(FILTER_SQL.tag);
    params.tag = filter.tag;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** SQL function comparing firmware versions numerically per segment (1.10 > 1.9). */
const VERSION_CMP = 'fleet_version_cmp';

export function createDeviceListRepo(db: Database) {
  db.function(VERSION_CMP, { deterministic: true }, (a: string | number | null, b: string | number | null) =>
    (a === null || b === null ? null : compareVersions(String(a), String(b))));
  // Statements are cached per distinct SQL text; there are only a few hundred combinations.
  const cache = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
  const countsByStatus = db.prepare('SELECT status, count(*) AS n FROM devices GROUP BY status');
  const tagsOf = db.prepare(
    'SELECT device_id, tag FROM device_tags WHERE device_id IN (SELECT value FROM json_each(?)) ORDER BY device_id, tag',
  );

  return {
    list(query: DeviceListQuery, defaultInterval: number): DeviceList {
      const where = whereOf(query);
      const direction = query.order === 'desc' ? 'DESC' : 'ASC';
      // With a text filter the total comes from the same pass (window count), so the costly LIKE
      // scan runs once; without one a separate count is cheaper, as the sort can walk an index.
      const windowCount = where.params.q !== undefined;
      const rows = prepared(
        `SELECT ${SUMMARY_SELECT}${windowCount ? ', count(*) OVER () AS total' : ''}
         FROM devices d LEFT JOIN profiles p ON p.id = d.profile_id ${where.sql}
         ORDER BY ${SORT_SQL[query.sort]} ${direction}, d.id ${direction} LIMIT @limit OFFSET @offset`,
      ).all({ ...where.params, limit: query.limit, offset: query.offset }) as (Record<string, string | number | null> & { id: string; total?: number })[];
      const total = rows[0]?.total ?? (prepared(`SELECT count(*) FROM devices d ${where.sql}`).pluck().get(where.params) as number);

      const tags = new Map<string, string[]>();
      if (rows.length > 0) {
        for (const t of tagsOf.all(JSON.stringify(rows.map((r) => r.id))) as { device_id: string; tag: string }[]) {
          const list = tags.get(t.device_id);
          if (list) list.push(t.tag);
          else tags.set(t.device_id, [t.tag]);
        }
      }
      const counts: Record<DeviceStatus, number> = { online: 0, late: 0, offline: 0, pending: 0, blocked: 0 };
      for (const c of countsByStatus.all() as { status: DeviceStatus; n: number }[]) counts[c.status] = c.n;

      const items = rows.map((r) => summaryFromRow(r, tags.get(r.id) ?? [], defaultInterval));
      return { items, total, counts };
    },

    /** Ids matching a filter (bulk actions on "everything the list shows"). */
    idsMatching(filter: DeviceFilter): string[] {
      const where = whereOf(filter);
      return prepared(`SELECT d.id FROM devices d ${where.sql} ORDER BY d.id`).pluck().all(where.params) as string[];
    },
  };
}
export type DeviceListRepo = ReturnType<typeof createDeviceListRepo>;
