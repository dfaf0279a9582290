/** Admin REST for devices: list, detail, edit, delete, state changes, bulk. */
import { Router, type Request } from 'express';
import { BulkRequestSchema, DeviceListQuerySchema, DevicePatchSchema, MutePatchSchema } from '../../../../shared/api';
import { BulkUndoSchema } from '../../../../shared/api/bulk-undo';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam } from '../params';
import { authorOf } from './auth';

/** `status` may come repeated (`?status=a&status=b`) or comma-separated (`?status=a,b`). */
export function listQueryInput(req: Request): Record<string, unknown> {
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  const status = query.status;
  if (status !== undefined) {
    const values = (Array.isArray(status) ? status : [status]).flatMap((s) => String(s).split(','));
    query.status = values.map((s) => s.trim()).filter((s) => s.length > 0);
  }
  return query;
}

export function createDevicesRouter(services: FleetServices): Router {
  const router = Router();
  const devices = services.devices;

  router.get('/devices', (req, res) => {
    res.json(devices.list(DeviceListQuerySchema.parse(listQueryInput(req))));
  });

  router.post('/devices/bulk', (req, res) => {
    res.json(devices.bulk(BulkRequestSchema.parse(req.body ?? {}), authorOf(res)));
  });

  router.post('/devices/bulk/undo', (req, res) => {
    res.json(devices.undoBulk(BulkUndoSchema.parse(req.body ?? {}), authorOf(res)));
  });

  router.get('/devices/:id', (req, res) => {
    res.json(devices.get(deviceIdParam(req)));
  });

  router.patch('/devices/:id', (req, res) => {
    const id = deviceIdParam(req);
    // `muted` is the alerts' (per-device mute); the rest is the device's own fields
    const { muted, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const mute = muted === undefined ? undefined : MutePatchSchema.parse({ muted }).muted;
    const patch = DevicePatchSchema.parse(fields);
    const detail = mute === undefined || Object.keys(patch).length > 0 ? devices.patch(id, patch, authorOf(res)) : devices.get(id);
    const muteState = mute === undefined ? services.alerts.device(id) : services.alerts.setMuted(id, mute, authorOf(res));
    res.json({ ...detail, muted: muteState.muted });
  });

  router.delete('/devices/:id', (req, res) => {
    devices.remove(deviceIdParam(req), authorOf(res));
    res.status(204).end();
  });

  const stateActions = {
    approve: devices.approve.bind(devices),
    block: devices.block.bind(devices),
    unblock: devices.unblock.bind(devices),
    'reset-credentials': devices.resetCredentials.bind(devices),
  } as const;
  for (const [action, run] of Object.entries(stateActions)) {
    router.post(`/devices/:id/${action}`, (req, res) => {
      res.json(run(deviceIdParam(req), authorOf(res)));
    });
  }

  return router;
}
