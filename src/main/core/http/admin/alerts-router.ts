/** Admin REST for alerts: overview, rules, channels (test, delivery log), maintenance windows, notifications, mutes. */
import { Router } from 'express';
import { z } from 'zod';
import {
  AlertRuleInputSchema, AlertRulePatchSchema, AlertWindowInputSchema, ChannelInputSchema, ChannelPatchSchema,
  MutePatchSchema, NotificationsReadSchema,
} from '../../../../shared/api/alerts';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam, intParam } from '../params';
import { authorOf } from './auth';

const LimitSchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).passthrough();

export function createAlertsRouter(services: FleetServices): Router {
  const router = Router();
  const alerts = services.alerts;

  router.get('/alerts', (_req, res) => {
    res.json(alerts.overview());
  });

  router.get('/alerts/rules', (_req, res) => {
    res.json(alerts.rules());
  });
  router.post('/alerts/rules', (req, res) => {
    res.status(201).json(alerts.createRule(AlertRuleInputSchema.parse(req.body ?? {})));
  });
  router.patch('/alerts/rules/:id', (req, res) => {
    res.json(alerts.updateRule(intParam(req, 'id'), AlertRulePatchSchema.parse(req.body ?? {})));
  });
  router.delete('/alerts/rules/:id', (req, res) => {
    alerts.deleteRule(intParam(req, 'id'));
    res.status(204).end();
  });

  router.get('/alerts/channels', (_req, res) => {
    res.json(alerts.channels());
  });
  router.post('/alerts/channels', (req, res) => {
    res.status(201).json(alerts.createChannel(ChannelInputSchema.parse(req.body ?? {})));
  });
  router.patch('/alerts/channels/:id', (req, res) => {
    res.json(alerts.updateChannel(intParam(req, 'id'), ChannelPatchSchema.parse(req.body ?? {})));
  });
  router.delete('/alerts/channels/:id', (req, res) => {
    alerts.deleteChannel(intParam(req, 'id'));
    res.status(204).end();
  });
  router.get('/alerts/channels/:id/deliveries', (req, res) => {
    res.json(alerts.deliveries(intParam(req, 'id'), LimitSchema.parse(req.query).limit));
  });
  router.post('/alerts/channels/:id/test', async (req, res, next) => {
    try {
      res.json(await alerts.testChannel(intParam(req, 'id')));
    } catch (err) {
      next(err);
    }
  });

  router.get('/alerts/windows', (_req, res) => {
    res.json(alerts.windows());
  });
  router.post('/alerts/windows', (req, res) => {
    res.status(201).json(alerts.createWindow(AlertWindowInputSchema.parse(req.body ?? {})));
  });
  router.delete('/alerts/windows/:id', (req, res) => {
    alerts.deleteWindow(intParam(req, 'id'));
    res.status(204).end();
  });

  router.get('/alerts/notifications', (req, res) => {
    res.json(alerts.notifications(LimitSchema.parse(req.query).limit));
  });
  router.post('/alerts/notifications/read', (req, res) => {
    res.json({ unread: alerts.markRead(NotificationsReadSchema.parse(req.body ?? {}).upTo) });
  });

  router.get('/alerts/devices/:id', (req, res) => {
    res.json(alerts.device(deviceIdParam(req)));
  });
  router.put('/alerts/devices/:id/mute', (req, res) => {
    res.json(alerts.setMuted(deviceIdParam(req), MutePatchSchema.parse(req.body ?? {}).muted, authorOf(res)));
  });

  return router;
}
