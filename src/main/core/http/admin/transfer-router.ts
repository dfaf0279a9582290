/**
 * Admin REST for moving fleet data: device export and import, pre-registered devices, the
 * original restDB.sqlite, replacing a device. Routes sit before the devices router's `/:id`.
 */
import express, { Router, type Request } from 'express';
import { DeviceListQuerySchema } from '../../../../shared/api';
import { ExportFormatSchema, ImportQuerySchema, ReplaceDeviceSchema } from '../../../../shared/api/transfer';
import { FleetError } from '../../errors';
import { SEED_MAX_BYTES } from '../../services/transfer/seed';
import type { TransferService } from '../../services/transfer/transfer-service';
import { deviceIdParam } from '../params';
import { authorOf } from './auth';
import { listQueryInput } from './devices-router';

const CSV_LIMIT = '4mb';
const isDryRun = (req: Request): boolean => {
  const { dryRun } = ImportQuerySchema.parse({ dryRun: req.query.dryRun });
  return dryRun === '1' || dryRun === 'true';
};

export function createTransferRouter(transfer: TransferService): Router {
  const router = Router();

  router.get('/devices/export', (req, res) => {
    const { format } = ExportFormatSchema.parse({ format: req.query.format });
    const { q, status, profileId, tag } = DeviceListQuerySchema.parse(listQueryInput(req));
    const out = transfer.exportDevices({ q, status, profileId, tag }, format);
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', out.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="fleetdesk-devices-${stamp}.${format}"`);
    res.send(out.body);
  });

  router.post('/devices/import', express.text({ type: 'text/csv', limit: CSV_LIMIT }), (req, res) => {
    const dryRun = isDryRun(req);
    if (req.is('text/csv')) {
      res.json(transfer.importDevices({ csv: typeof req.body === 'string' ? req.body : '' }, dryRun, authorOf(res)));
      return;
    }
    if (!req.is('application/json')) throw new FleetError('unsupported_media_type', 'send the devices as text/csv or application/json');
    res.json(transfer.importDevices({ json: req.body }, dryRun, authorOf(res)));
  });

  router.get('/preregistrations', (_req, res) => {
    res.json(transfer.preregistered());
  });

  router.delete('/preregistrations/:id', (req, res) => {
    transfer.removePreregistration(deviceIdParam(req), authorOf(res));
    res.status(204).end();
  });

  router.post('/devices/:id/replace', (req, res) => {
    const body = ReplaceDeviceSchema.parse(req.body ?? {});
    res.json(transfer.replace(deviceIdParam(req), body.with, authorOf(res)));
  });

  router.post('/import/seed', express.raw({ type: 'application/octet-stream', limit: SEED_MAX_BYTES }), (req, res) => {
    if (!req.is('application/octet-stream')) throw new FleetError('unsupported_media_type', 'send restDB.sqlite as application/octet-stream');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.json(transfer.importSeed(body, isDryRun(req), authorOf(res)));
  });

  return router;
}
