import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, sanitizeForLog } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts secrets at any of the first three levels and keeps the rest', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'test', destination });
    log.info(
      { password: 'hunter2', integration: { id: 'i1', apiKey: 'sk_live_123', nested: { token: 'tok_456' } } },
      'saved',
    );
    const out = lines.join('');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('sk_live_123');
    expect(out).not.toContain('tok_456');
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry.integration.id).toBe('i1');
    expect(entry.password).toBe('[redacted]');
    expect(entry.level).toBe('info');
    expect(entry.msg).toBe('saved');
  });

  it('strips line breaks from logged input', () => {
    expect(sanitizeForLog('a\r\nforged line\nb')).toBe('a forged line b');
  });
});
