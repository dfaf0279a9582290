import type { Command } from '../../../../shared/api';
import { FleetError, notFound } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, deviceOrThrow } from '../context';
import type { Author, CommandService } from '../contracts';

/** Queues a command (inside the caller's transaction); exported for bulk actions. */
export function enqueueCommand(
  ctx: ServiceContext,
  device: DeviceRuntime,
  input: { name: string; args: Record<string, unknown>; ttlSeconds?: number },
  author: Author,
): Command {
  const now = ctx.clock.now();
  const ttlSeconds = input.ttlSeconds ?? ctx.state.settings.commandTtlSeconds;
  const command = ctx.repos.commands.insert(device.id, input.name, input.args, author, now, now + ttlSeconds * 1000);
  ctx.events.record('command_queued', device.id, `${input.name} #${command.id} queued by ${author}`, {
    commandId: command.id,
    name: input.name,
    author,
  });
  ctx.undo.keep(device);
  device.openCommands.push(command);
  ctx.bus.emit({ type: 'command', command: { ...command } });
  ctx.waiters.notify(device.id);
  return command;
}

export function createCommandService(ctx: ServiceContext): CommandService {
  return {
    list(deviceId: string, limit = 50): Command[] {
      const device = deviceOrThrow(ctx, deviceId);
      return ctx.repos.commands.list(device.id, Math.max(1, Math.min(limit, 500)));
    },

    enqueue(deviceId, input, author): Command {
      const device = deviceOrThrow(ctx, deviceId);
      if (device.state === 'blocked') throw new FleetError('conflict', 'device is blocked; unblock it before sending commands');
      return { ...ctx.atomically(() => enqueueCommand(ctx, device, input, author)) };
    },

    /** Cancelling closes an open command as failed with a result saying who cancelled it. */
    cancel(commandId: number, author: Author): Command {
      const stored = ctx.repos.commands.get(commandId);
      if (!stored) throw notFound('command', commandId);
      const device = ctx.state.devices.get(stored.deviceId);
      const open = device?.openCommands.find((c) => c.id === commandId);
      if (!device || !open) throw new FleetError('conflict', `command ${commandId} is already ${stored.state}`);
      const closed: Command = { ...open, state: 'failed', result: { cancelledBy: author }, completedAt: ctx.clock.now() };
      ctx.atomically(() => {
        ctx.repos.commands.save(closed);
        ctx.events.record('command_failed', device.id, `${closed.name} #${closed.id} cancelled by ${author}`, {
          commandId, name: closed.name, cancelledBy: author,
        });
        ctx.undo.keep(device);
        device.openCommands = device.openCommands.filter((c) => c.id !== commandId);
        ctx.bus.emit({ type: 'command', command: closed });
      });
      ctx.waiters.notify(device.id);
      return closed;
    },
  };
}
