/** Admin REST for the audit log (fleet-wide and per device) and its CSV export; the live stream is in sse.ts. */
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { Router } from 'express';
import { EVENT_EXPORT_COLUMNS, EventFilterSchema, EventListQuerySchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { deviceIdOrThrow } from '../../ids';
import { deviceIdParam } from '../params';

export function createEventsRouter(services: FleetServices): Router {
  const router = Router();

  router.get('/events', (req, res) => {
    const query = EventListQuerySchema.parse(req.query);
    const deviceId = query.deviceId === undefined ? undefined : deviceIdOrThrow(query.deviceId);
    res.json(services.events.list({ ...query, deviceId }));
  });

  /**
   * The filtered log as CSV, streamed: pages are read by id between writes and the next page waits
   * while the client is slower than the disk, so memory stays at one page whatever the log holds.
   */
  router.get('/events/export', async (req, res) => {
    const filter = EventFilterSchema.parse(req.query);
    const deviceId = filter.deviceId === undefined ? undefined : deviceIdOrThrow(filter.deviceId);
    const pages = services.events.exportRecords({ ...filter, deviceId });
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="fleetdesk-events-${stamp}.csv"`);
    const csv = stringify({ header: true, columns: [...EVENT_EXPORT_COLUMNS], record_delimiter: '\r\n' });
    csv.pipe(res);
    let gone = false;
    res.once('close', () => {
      gone = true;
    });
    for (const page of pages) {
      if (gone) break;
      for (const record of page) csv.write(record);
      // the stringifier's buffer fills only while the response is backed up (pipe pauses it)
      if (csv.writableNeedDrain) await Promise.race([once(csv, 'drain'), once(res, 'close')]);
    }
    csv.end();
  });

  router.get('/devices/:id/events', (req, res) => {
    const deviceId = deviceIdParam(req);
    const query = EventListQuerySchema.omit({ deviceId: true }).parse(req.query);
    res.json(services.events.list({ ...query, deviceId }));
  });

  return router;
}
