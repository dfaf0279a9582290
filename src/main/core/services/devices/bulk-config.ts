/** Bulk config-key changes on one device, with dotted keys as paths into nested objects. */
import type { ConfigObject, JsonValue } from '../../../../shared/config';
import { canonicalJson } from '../../../../shared/config';
import { type KeyPath, splitKeyPath, withPath } from '../../../../shared/config-path';
import { FleetError } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import type { Author } from '../contracts';
import { setOverrides } from '../config/config-service';

export function keyPathOrThrow(key: string): KeyPath {
  const path = splitKeyPath(key);
  if (!path) throw new FleetError('bad_request', `"${key}" is not a usable key: a dotted key needs a name between every dot`);
  return path;
}

function write(ctx: ServiceContext, device: DeviceRuntime, next: ConfigObject, author: Author, reason: string): number | null {
  if (canonicalJson(next) === canonicalJson(device.overrides)) return null;
  return setOverrides(ctx, device, next, author, reason).id;
}

/**
 * Sets the path on the device's overrides; a nested path starts from the device's current value of
 * the top-level key (its override, else its profile default). Returns the revision id, or null when
 * nothing changed or the path crosses a non-object value.
 */
export function setConfigPath(ctx: ServiceContext, device: DeviceRuntime, path: KeyPath, value: JsonValue, author: Author): number | null {
  const [top, ...rest] = path;
  const next = withPath(device.effective[top], rest, value);
  if ('blocked' in next || next.value === undefined) return null;
  return write(ctx, device, { ...device.overrides, [top]: next.value }, author, `bulk set ${path.join('.')}`);
}

/** Removes the path from the device's overrides only (profile defaults are the profile's). */
export function removeConfigPath(ctx: ServiceContext, device: DeviceRuntime, key: string, author: Author): number | null {
  // a flat key that literally contains dots (typed in the config editor) is removed as it is
  const [top, ...rest] = key in device.overrides ? [key] : keyPathOrThrow(key);
  if (!(top in device.overrides)) return null;
  const { [top]: current, ...others } = device.overrides;
  if (rest.length === 0) return write(ctx, device, others, author, `bulk remove ${key}`);
  const next = withPath(current, rest, undefined);
  if ('blocked' in next) return null;
  const overrides = next.value === undefined ? others : { ...others, [top]: next.value };
  return write(ctx, device, overrides, author, `bulk remove ${key}`);
}
