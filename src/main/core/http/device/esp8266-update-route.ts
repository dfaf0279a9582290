/**
 * The ESP8266 Arduino HTTP update protocol (ESPhttpUpdate), as a welcome extra for Arduino firmware:
 * `GET /api/v1/devices/{mac}/update` with the x-ESP8266-* request headers. 200 + image (x-MD5) when
 * an update is offered for the version in `x-ESP8266-version`, 304 when there is none. Auth: Bearer
 * token, or HTTP Basic with the token as password (what ESPhttpUpdate.setAuthorization sends).
 * The request counts as a check-in, because it is one: the device is alive and says what it runs.
 */
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import type { FleetServices } from '../../services/contracts';
import { bearerToken, deviceIdParam, remoteAddress } from '../params';
import { sendFirmwareImage } from './firmware-route';

function tokenOf(req: Request): string | null {
  const bearer = bearerToken(req);
  if (bearer) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  // The user part is the MAC, which has colons itself; tokens never do, so split at the last one.
  const colon = decoded.lastIndexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 64) : undefined;
}

export function createEsp8266UpdateRouter(services: FleetServices, logger: Logger): Router {
  const router = Router();
  router.get('/devices/:id/update', async (req, res) => {
    const id = deviceIdParam(req);
    const token = tokenOf(req);
    const version = header(req, 'x-esp8266-version');
    const md5 = header(req, 'x-esp8266-sketch-md5');
    const reply = services.protocol.checkin(
      id,
      token,
      { fw: { version, md5: md5 && /^[0-9a-fA-F]{32}$/.test(md5) ? md5 : undefined } },
      remoteAddress(req),
    );
    if (!reply.firmware) {
      res.status(304).end();
      return;
    }
    const image = services.protocol.firmwareFor(id, token, reply.firmware.id);
    const complete = await sendFirmwareImage(res, image, logger);
    services.protocol.firmwareSent(id, reply.firmware.id, complete);
  });
  return router;
}
