/** A rule's or a window's scope in words for the lists. */
import type { AlertScope } from '../../../../shared/api/alerts';

export function scopeText(scope: AlertScope, profileName: (id: number) => string | undefined): string {
  if ('all' in scope) return 'all devices';
  if ('profileId' in scope) return `profile ${profileName(scope.profileId) ?? `#${scope.profileId}`}`;
  if ('tag' in scope) return `tag “${scope.tag}”`;
  return scope.devices.length === 1 ? scope.devices[0]! : `${scope.devices.length} devices`;
}
