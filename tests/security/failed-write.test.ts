/**
 * A write that fails halfway rolls back that change only: memory is what it was before, equals
 * what is on disk, and nothing else in memory (check-ins not yet on disk) is lost. Failures are
 * injected with real SQLite triggers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, macOf, makeHarness, registerDevice } from '../unit/core/fixture';

let h: Harness;
const ids = [0, 1, 2, 3].map(macOf);
const tokens: string[] = [];

beforeEach(() => {
  h = makeHarness();
  tokens.length = 0;
  for (const id of ids) tokens.push(registerDevice(h, id, { ip: '10.0.0.1' }));
  const p = h.services.profiles.create({ name: 'base', description: '', defaults: { a: 1 } }, 'admin');
  h.services.devices.patch(ids[0]!, { profileId: p.id, name: 'first', tags: ['x'] }, 'admin');
  h.services.devices.patch(ids[1]!, { profileId: p.id }, 'admin');
  h.services.flush();
});
afterEach(() => h.close());

/** Everything the admin API shows about the fleet, from memory. */
function view(): unknown {
  const devices = ids.filter((id) => h.services.devices.list({ sort: 'id', order: 'asc', offset: 0, limit: 50 }).items.some((d) => d.id === id));
  return {
    devices: devices.map((id) => {
      const { lastSeenAt: _lastSeenAt, status: _status, ...detail } = h.services.devices.get(id) as unknown as Record<string, unknown>;
      return { detail, config: h.services.config.forDevice(id), commands: h.services.commands.list(id) };
    }),
    profiles: h.services.profiles.list(),
    firmware: h.services.firmware.list(),
    settings: h.services.settings.get(),
  };
}

/** Memory now, then the same after a restart (= what is on disk): both must be `expected`. */
function expectMemoryAndDisk(expected: unknown): void {
  expect(view()).toEqual(expected);
  h.restart();
  expect(view()).toEqual(expected);
}

function failOn(sql: string): void {
  h.db.exec(`CREATE TRIGGER injected_failure ${sql} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
}
function healed(): void {
  h.db.exec('DROP TRIGGER injected_failure');
}

describe('a failed write rolls back that change only', () => {
  const profileId = () => h.services.profiles.list()[0]!.id;
  const cases: [string, string, () => unknown][] = [
    ['bulk config on the third device', `BEFORE INSERT ON config_revisions WHEN NEW.target_id = '${ids[2]}'`,
      () => h.services.devices.bulk({ target: { ids }, op: { action: 'setConfigKey', key: 'k', value: 2 } } as never, 'admin')],
    ['profile defaults after the devices were bumped', "BEFORE INSERT ON events WHEN NEW.kind = 'config_changed'",
      () => h.services.config.setProfileDefaults(profileId(), { a: 2, b: 3 }, 'admin')],
    ['device patch with a profile change', "BEFORE INSERT ON events WHEN NEW.kind = 'config_changed'",
      () => h.services.devices.patch(ids[2]!, { name: 'n', location: 'l', tags: ['t'], profileId: profileId() }, 'admin')],
    ['settings', "BEFORE INSERT ON events WHEN NEW.kind = 'settings_changed'",
      () => h.services.settings.patch({ defaultCheckinInterval: 77 }, 'admin')],
    ['profile deletion', "BEFORE INSERT ON events WHEN NEW.kind = 'profile_changed'",
      () => h.services.profiles.remove(profileId(), 'admin')],
    ['device deletion', "BEFORE INSERT ON events WHEN NEW.kind = 'deleted'",
      () => h.services.devices.remove(ids[0]!, 'admin')],
    ['bulk block', `BEFORE INSERT ON events WHEN NEW.device_id = '${ids[3]}'`,
      () => h.services.devices.bulk({ target: { ids }, op: { action: 'block' } } as never, 'admin')],
    ['a command', "BEFORE INSERT ON events WHEN NEW.kind = 'command_queued'",
      () => h.services.commands.enqueue(ids[0]!, { name: 'reboot', args: {}, ttlSeconds: 600 }, 'admin')],
    ['credentials reset', "BEFORE INSERT ON events WHEN NEW.kind = 'credentials_reset'",
      () => h.services.devices.resetCredentials(ids[1]!, 'admin')],
  ];
  for (const [what, trigger, change] of cases) {
    it(`${what}: memory stays as it was and equals the disk`, () => {
      const before = view();
      failOn(trigger);
      expect(change).toThrow(/injected failure/);
      healed();
      expectMemoryAndDisk(before);
    });
  }

  it('keeps check-ins the disk has not seen yet, even when the flush fails too', () => {
    // a device reports a new address; the flush that would write it fails, like the operator change
    failOn("BEFORE UPDATE ON devices WHEN NEW.ip = '10.9.9.9' OR NEW.name = 'renamed'");
    h.services.protocol.checkin(ids[3]!, tokens[3]!, { ip: '10.9.9.9', rssi: -40 }, '10.9.9.9');
    expect(() => h.services.devices.patch(ids[2]!, { name: 'renamed' }, 'admin')).toThrow(/injected failure/);
    expect(h.services.devices.get(ids[3]!).ip).toBe('10.9.9.9');
    expect(h.services.devices.get(ids[2]!).name).toBe('');
    healed();
    h.services.flush();
    const expected = view();
    expect((expected as { devices: { detail: { ip: string } }[] }).devices[3]!.detail.ip).toBe('10.9.9.9');
    expectMemoryAndDisk(expected);
  });
});
