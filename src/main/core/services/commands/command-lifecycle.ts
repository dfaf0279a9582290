/**
 * Device-side command lifecycle, driven by check-ins and the expiry timer: queued → delivered
 * (returned in a check-in reply) → acked/failed (ack in a later check-in), or → expired.
 * Delivered commands are sent again on every check-in until acked or expired, so a reply lost
 * on the way does not lose the command. These writes go through the write-behind buffer.
 */
import type { Command } from '../../../../shared/api';
import type { CommandAck, DeviceCommand } from '../../../../shared/protocol';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';

function saveLater(ctx: ServiceContext, command: Command): void {
  const snapshot = { ...command };
  ctx.writeBehind.later(() => ctx.repos.commands.save(snapshot));
  ctx.bus.emit({ type: 'command', command: snapshot });
}

function close(ctx: ServiceContext, device: DeviceRuntime, command: Command): void {
  device.openCommands = device.openCommands.filter((c) => c !== command);
  saveLater(ctx, command);
}

export function applyAcks(ctx: ServiceContext, device: DeviceRuntime, acks: readonly CommandAck[] | undefined): void {
  if (!acks || acks.length === 0) return;
  const now = ctx.clock.now();
  for (const ack of acks) {
    const command = device.openCommands.find((c) => c.id === ack.id);
    if (!command) continue; // unknown, already closed or another device's: ignored
    command.state = ack.ok ? 'acked' : 'failed';
    command.result = ack.result ?? null;
    command.completedAt = now;
    command.deliveredAt ??= now;
    close(ctx, device, command);
    ctx.events.recordLater(
      ack.ok ? 'command_acked' : 'command_failed',
      device.id,
      `${command.name} #${command.id} ${ack.ok ? 'acked' : 'failed'}`,
      { commandId: command.id, name: command.name, result: command.result },
    );
  }
}

/** The commands for this check-in reply; marks queued ones delivered. */
export function deliverCommands(ctx: ServiceContext, device: DeviceRuntime): DeviceCommand[] {
  if (device.openCommands.length === 0) return [];
  const now = ctx.clock.now();
  const out: DeviceCommand[] = [];
  for (const command of device.openCommands) {
    if (command.expiresAt <= now) continue; // the expiry timer closes it
    if (command.state === 'queued') {
      command.state = 'delivered';
      command.deliveredAt = now;
      saveLater(ctx, command);
    }
    out.push({ id: command.id, name: command.name, args: command.args });
  }
  return out;
}

export function expireCommands(ctx: ServiceContext): void {
  const now = ctx.clock.now();
  for (const device of ctx.state.devices.values()) {
    for (const command of device.openCommands) {
      if (command.expiresAt > now) continue;
      command.state = 'expired';
      command.completedAt = now;
      close(ctx, device, command);
      ctx.events.recordLater('command_expired', device.id, `${command.name} #${command.id} expired`, {
        commandId: command.id,
        name: command.name,
      });
    }
  }
}
