/**
 * Commands as the firmware runs them (docs/protocol.md §6): reboot is acked and done after the rest
 * of the reply; identify blinks; anything else goes to the application handler. Acks wait "on
 * flash" for the next check-in (they survive a reboot), and a redelivered id is acked again
 * without running twice.
 */
import type { CommandAck, DeviceCommand } from '../shared/protocol';

const RECENT_COMMANDS = 32;

export interface CommandHooks {
  onCommand?: (command: DeviceCommand) => { ok: boolean; result?: string | number | boolean | null };
  identify(commandId: number, seconds: number): void;
  executed(command: DeviceCommand, ack: CommandAck): void;
}

export class CommandRunner {
  pendingAcks: CommandAck[] = [];
  /** ids of recently executed commands with their acks, like the firmware's small ring on flash */
  private readonly recent = new Map<number, CommandAck>();

  constructor(private readonly hooks: CommandHooks) {}

  /** Runs one command; returns true when it asks for a reboot. */
  run(command: DeviceCommand): boolean {
    const earlier = this.recent.get(command.id);
    if (earlier) {
      if (!this.pendingAcks.some((ack) => ack.id === command.id)) this.pendingAcks.push(earlier);
      return false;
    }
    const ack = this.execute(command);
    this.pendingAcks.push(ack);
    this.recent.set(ack.id, ack);
    if (this.recent.size > RECENT_COMMANDS) this.recent.delete(this.recent.keys().next().value as number);
    this.hooks.executed(command, ack);
    return command.name === 'reboot';
  }

  /** The server has these acks now. */
  delivered(acks: CommandAck[]): void {
    this.pendingAcks = this.pendingAcks.filter((ack) => !acks.includes(ack));
  }

  private execute(command: DeviceCommand): CommandAck {
    if (command.name === 'reboot') return { id: command.id, ok: true, result: 'rebooting' };
    if (command.name === 'identify') {
      const seconds = typeof command.args?.seconds === 'number' ? command.args.seconds : 5;
      this.hooks.identify(command.id, seconds);
      return { id: command.id, ok: true, result: `blinked ${seconds} s` };
    }
    const answer = this.hooks.onCommand?.(command) ?? { ok: true, result: 'ok' };
    return { id: command.id, ...answer };
  }
}
