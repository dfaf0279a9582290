/** Admin REST for profiles (their defaults live in config-router). */
import { Router } from 'express';
import { ProfileCreateSchema, ProfilePatchSchema, type ProfileExportEntry } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { intParam } from '../params';
import { authorOf } from './auth';

export function createProfilesRouter(services: FleetServices): Router {
  const router = Router();
  const profiles = services.profiles;

  router.get('/profiles', (_req, res) => {
    res.json(profiles.list());
  });

  router.post('/profiles', (req, res) => {
    res.status(201).json(profiles.create(ProfileCreateSchema.parse(req.body ?? {}), authorOf(res)));
  });

  // every profile with its defaults, as a file; each entry is a valid body for POST /profiles
  router.get('/profiles/export', (_req, res) => {
    const entries: ProfileExportEntry[] = profiles.list().map((p) => ({ name: p.name, description: p.description, defaults: p.defaults }));
    res.setHeader('Content-Disposition', `attachment; filename="fleetdesk-profiles-${new Date().toISOString().slice(0, 10)}.json"`);
    res.json(entries);
  });

  router.get('/profiles/:pid', (req, res) => {
    res.json(profiles.get(intParam(req, 'pid')));
  });

  router.patch('/profiles/:pid', (req, res) => {
    const id = intParam(req, 'pid');
    res.json(profiles.patch(id, ProfilePatchSchema.parse(req.body ?? {}), authorOf(res)));
  });

  router.delete('/profiles/:pid', (req, res) => {
    res.json(profiles.remove(intParam(req, 'pid'), authorOf(res)));
  });

  return router;
}
