/** Admin REST for the firmware store: list, upload (raw streamed body), delete, assign, rollout per device. */
import { Router } from 'express';
import { FIRMWARE_MAX_BYTES, FirmwareAssignSchema, FirmwareUploadQuerySchema } from '../../../../shared/api';
import { FleetError } from '../../errors';
import type { FleetServices } from '../../services/contracts';
import { intParam } from '../params';
import { authorOf } from './auth';

export function createFirmwareAdminRouter(services: FleetServices): Router {
  const router = Router();
  const firmware = services.firmware;

  router.get('/firmware', (_req, res) => {
    res.json(firmware.list());
  });

  // The body is the image itself, streamed to the service (which hashes it and enforces the size).
  router.post('/firmware', async (req, res) => {
    const meta = FirmwareUploadQuerySchema.parse(req.query);
    const type = req.headers['content-type'];
    if (type !== undefined && !req.is('application/octet-stream')) {
      throw new FleetError('unsupported_media_type', 'upload the image as application/octet-stream');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > FIRMWARE_MAX_BYTES) {
      throw new FleetError('payload_too_large', `firmware images are limited to ${FIRMWARE_MAX_BYTES} bytes`);
    }
    res.status(201).json(await firmware.upload(meta, req, authorOf(res)));
  });

  router.delete('/firmware/:fid', (req, res) => {
    firmware.remove(intParam(req, 'fid'), authorOf(res));
    res.status(204).end();
  });

  router.get('/firmware/:fid/devices', (req, res) => {
    res.json(firmware.devices(intParam(req, 'fid')));
  });

  router.post('/firmware/unassign', (req, res) => {
    res.json(firmware.assign(null, FirmwareAssignSchema.parse(req.body ?? {}), authorOf(res)));
  });

  router.post('/firmware/:fid/assign', (req, res) => {
    const id = intParam(req, 'fid');
    res.json(firmware.assign(id, FirmwareAssignSchema.parse(req.body ?? {}), authorOf(res)));
  });

  return router;
}
