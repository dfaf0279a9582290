import { describe, expect, it } from 'vitest';
import { DevicePatchSchema, ProfileCreateSchema, SettingsPatchSchema } from '../../../src/shared/api';

const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe('validation messages', () => {
  it('say limits in words, not zod internals', () => {
    expect(firstMessage(DevicePatchSchema.safeParse({ name: 'x'.repeat(129) }))).toBe('At most 128 characters.');
    expect(firstMessage(DevicePatchSchema.safeParse({ checkinInterval: 2 }))).toBe('At least 5.');
    expect(firstMessage(DevicePatchSchema.safeParse({ checkinInterval: 7.5 }))).toBe('A whole number.');
    expect(firstMessage(DevicePatchSchema.safeParse({ tags: Array.from({ length: 65 }, (_, i) => `t${i}`) }))).toBe('At most 64 items.');
    expect(firstMessage(ProfileCreateSchema.safeParse({ name: '  ' }))).toBe('Required.');
    expect(firstMessage(SettingsPatchSchema.safeParse({ registrationPolicy: 'nope' }))).toBe('One of: "open", "approve", "key".');
    expect(firstMessage(DevicePatchSchema.safeParse({ colour: 'red' }))).toBe('Unknown field: colour.');
  });
});
