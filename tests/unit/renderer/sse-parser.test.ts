import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../../src/renderer/src/api/sse';

describe('createSseParser', () => {
  it('emits data of complete events across arbitrary chunk boundaries, ignoring comments', () => {
    const seen: string[] = [];
    const feed = createSseParser((d) => seen.push(d));
    const stream = ': keep-alive\n\ndata: {"deltas":[1]}\n\nevent: x\ndata: line1\ndata: line2\r\n\r\ndata:{"n":2}\n\n';
    for (let i = 0; i < stream.length; i += 7) feed(stream.slice(i, i + 7));
    expect(seen).toEqual(['{"deltas":[1]}', 'line1\nline2', '{"n":2}']);
  });
});
