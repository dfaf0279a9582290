/**
 * Validation messages a person reads ("At most 128 characters."), not zod's defaults ("Too big:
 * expected string to have <=128 characters"). Installed once as zod's global error map by the
 * API contracts, so the server's 400 replies and the forms' inline errors say the same thing.
 */
import { z } from 'zod';

type Issue = Parameters<NonNullable<z.core.$ZodConfig['customError']>>[0];

const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`;

const TYPE_NAMES: Record<string, string> = {
  string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object',
};

export function humanMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_big': {
      const max = issue.maximum as number;
      if (issue.origin === 'string') return `At most ${plural(max, 'character')}.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `At most ${plural(max, 'item')}.`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive ? `At most ${max}.` : `Less than ${max}.`;
      return undefined;
    }
    case 'too_small': {
      const min = issue.minimum as number;
      if (issue.origin === 'string') return min === 1 ? 'Required.' : `At least ${plural(min, 'character')}.`;
      if (issue.origin === 'array' || issue.origin === 'set') return min === 1 ? 'Add at least one.' : `At least ${plural(min, 'item')}.`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive ? `At least ${min}.` : `More than ${min}.`;
      return undefined;
    }
    case 'invalid_type':
      if (issue.input === undefined) return 'Required.';
      return issue.expected === 'int' ? 'A whole number.' : `Expected ${TYPE_NAMES[issue.expected] ?? issue.expected}.`;
    case 'invalid_value':
      return issue.values.length === 1 ? `Must be ${JSON.stringify(issue.values[0])}.` : `One of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'Contains characters that are not allowed.' : `Not a valid ${issue.format}.`;
    case 'not_multiple_of':
      return `Must be a multiple of ${String(issue.divisor)}.`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`;
    default:
      return undefined; // zod's own wording
  }
}

export function installHumanMessages(): void {
  z.config({ customError: humanMessage });
}
