// The read buffer of a Conn on its own (K1, K2): lines, delimiters, limits, and the cost of a search.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LineTooLongError } from '../src/errors.js';
import { ReadBuffer } from '../src/readbuffer.js';

function bufferOf(...chunks: Array<string | Buffer>): ReadBuffer {
  const b = new ReadBuffer();
  for (const c of chunks) b.push(typeof c === 'string' ? Buffer.from(c) : c);
  return b;
}

/** Every line `takeLine` gives, then the last one at EOF. */
function allLines(b: ReadBuffer, keepEnd = false): string[] {
  const lines: string[] = [];
  for (;;) {
    const line = b.takeLine(keepEnd, 'utf8', 1 << 30, true);
    if (line === undefined) return lines;
    lines.push(line);
  }
}

/** Cuts `bytes` at the given positions into chunks (no empty chunk). */
function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

describe('ReadBuffer', () => {
  test('K1: readLine gives lines without \\n and \\r\\n, a last line without \\n as it is', () => {
    const b = bufferOf('one\ntwo\r\nthr', 'ee\r');
    expect(b.takeLine(false, 'utf8', 100, false)).toBe('one');
    expect(b.takeLine(false, 'utf8', 100, false)).toBe('two');
    expect(b.takeLine(false, 'utf8', 100, false)).toBeUndefined();
    expect(b.length).toBe(6);
    expect(b.takeLine(false, 'utf8', 100, true)).toBe('three\r');
    expect(b.takeLine(false, 'utf8', 100, true)).toBeUndefined();
    expect(b.length).toBe(0);
  });

  test('K1: keepEnd keeps the line end', () => {
    expect(allLines(bufferOf('a\r\nb\nc'), true)).toEqual(['a\r\n', 'b\n', 'c']);
  });

  test('K1: a character split across chunks is decoded whole', () => {
    const bytes = Buffer.from('héllo wörld ✓\n');
    const b = new ReadBuffer();
    for (let i = 0; i < bytes.length; i++) b.push(bytes.subarray(i, i + 1));
    expect(b.takeLine(false, 'utf8', 100, false)).toBe('héllo wörld ✓');
  });

  test('K1: readUntil gives the bytes up to and including a delimiter that spans chunks', () => {
    const b = bufferOf('GET / HTTP/1.1\r\nHost: x\r', '\n', '\r', '\nbody');
    expect(b.takeUntil(Buffer.from('\r\n\r\n'), 1000, false)!.toString()).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(b.takeUntil(Buffer.from('\r\n\r\n'), 1000, false)).toBeUndefined();
    expect(b.takeUntil(Buffer.from('\r\n\r\n'), 1000, true)!.toString()).toBe('body');
  });

  test('K1: a delimiter search for another delimiter starts again from the front', () => {
    const b = bufferOf('ab', 'cXY', 'Zd');
    expect(b.takeUntil(Buffer.from('QQ'), 100, false)).toBeUndefined();
    expect(b.takeUntil(Buffer.from('XYZ'), 100, false)!.toString()).toBe('abcXYZ');
    expect(b.length).toBe(1);
  });

  test('K1: read(max) gives at most max of what is buffered; readExactly waits for n', () => {
    const b = bufferOf('abc', 'defg');
    expect(b.takeSome(2)!.toString()).toBe('ab');
    expect(b.takeSome(100)!.toString()).toBe('cdefg');
    expect(b.takeSome(1)).toBeUndefined();
    b.push(Buffer.from('xy'));
    expect(b.takeExactly(3)).toBeUndefined();
    b.push(Buffer.from('z'));
    expect(b.takeExactly(3)!.toString()).toBe('xyz');
  });

  test('K2: a line longer than the limit throws LineTooLongError and its bytes stay buffered', () => {
    const b = bufferOf('0123456789');
    expect(b.takeLine(false, 'utf8', 10, false)).toBeUndefined();
    b.push(Buffer.from('A'));
    expect(() => b.takeLine(false, 'utf8', 10, false)).toThrow(LineTooLongError);
    expect(b.length).toBe(11);
    expect(b.takeExactly(11)!.toString()).toBe('0123456789A');

    const c = bufferOf('0123456789\n', '0123456789A\n');
    expect(c.takeLine(false, 'utf8', 10, false)).toBe('0123456789');
    const error = (() => {
      try {
        c.takeLine(false, 'utf8', 10, false);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).name).toBe('LineTooLongError');
    expect((error as Error).message).toMatch(/longer than the limit of 10 bytes/);
    expect(c.length).toBe(12);
  });

  test('K2: readUntil past its limit throws and keeps the bytes', () => {
    const b = bufferOf('abcdef');
    expect(() => b.takeUntil(Buffer.from('--'), 6, false)).toThrow(LineTooLongError);
    expect(b.length).toBe(6);
    expect(b.takeUntil(Buffer.from('--'), 100, false)).toBeUndefined();
    b.push(Buffer.from('--'));
    expect(b.takeUntil(Buffer.from('--'), 8, false)!.toString()).toBe('abcdef--');
  });

  test('K1: any chunking gives the same lines as splitting the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('\n', '\r\n', 'é', '✓', '\r')), { maxLength: 40 }),
        fc.array(fc.nat(400), { maxLength: 30 }),
        (parts, cuts) => {
          const text = parts.join('');
          const b = new ReadBuffer();
          for (const chunk of cut(Buffer.from(text), cuts)) b.push(chunk);
          const expected = text.split('\n').map((l, i, all) => (i < all.length - 1 ? l.replace(/\r$/, '') : l));
          if (expected[expected.length - 1] === '') expected.pop();
          expect(allLines(b)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('K1: any chunking finds the same matches of a multi-byte delimiter as splitting the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '\r', '\n', '\r\n\r\n', 'ab'), { maxLength: 60 }),
        fc.array(fc.nat(200), { maxLength: 40 }),
        fc.constantFrom('\r\n\r\n', 'aab', 'abab', '\n\n'),
        (parts, cuts, delimiter) => {
          const text = parts.join('');
          const delim = Buffer.from(delimiter);
          const b = new ReadBuffer();
          const got: string[] = [];
          // Chunks arrive one by one and the search runs after each, as a waiting reader's would.
          for (const chunk of cut(Buffer.from(text), cuts)) {
            b.push(chunk);
            for (let m = b.takeUntil(delim, 1 << 30, false); m !== undefined; m = b.takeUntil(delim, 1 << 30, false)) {
              got.push(m.toString());
            }
          }
          const rest = b.takeUntil(delim, 1 << 30, true);
          if (rest !== undefined) got.push(rest.toString());
          const expected: string[] = [];
          let from = 0;
          for (let at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, from)) {
            expected.push(text.slice(from, at + delimiter.length));
            from = at + delimiter.length;
          }
          if (from < text.length) expected.push(text.slice(from));
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('K1: a line arriving one byte at a time is searched in linear time (bytes examined, not a clock)', () => {
    for (const n of [1_000, 10_000, 100_000]) {
      const b = new ReadBuffer();
      const x = Buffer.from('x');
      for (let i = 0; i < n; i++) {
        b.push(x);
        expect(b.takeLine(false, 'latin1', 1 << 30, false)).toBeUndefined();
      }
      b.push(Buffer.from('\n'));
      expect(b.takeLine(false, 'latin1', 1 << 30, false)!.length).toBe(n);
      expect(b.examined).toBe(n + 1); // each byte once
    }
  });

  test('K1: a multi-byte delimiter arriving one byte at a time is searched in linear time', () => {
    const n = 50_000;
    const b = new ReadBuffer();
    const delim = Buffer.from('\r\n\r\n');
    const bytes = Buffer.from('ab\r\n'.repeat(n / 4) + '\r\n');
    for (let i = 0; i < bytes.length; i++) {
      b.push(bytes.subarray(i, i + 1));
      const m = b.takeUntil(delim, 1 << 30, false);
      if (i < bytes.length - 1) expect(m).toBeUndefined();
      else expect(m!.length).toBe(bytes.length);
    }
    expect(b.examined).toBe(bytes.length);
  });

  test('K1: many lines in one big chunk are each given without rescanning what came before', () => {
    const n = 20_000;
    const b = bufferOf('line\n'.repeat(n));
    for (let i = 0; i < n; i++) expect(b.takeLine(false, 'utf8', 100, false)).toBe('line');
    // Each search runs from the front of what is left of the chunk to its next newline: every byte once.
    expect(b.examined).toBe(5 * n);
    expect(b.takeLine(false, 'utf8', 100, false)).toBeUndefined();
    expect(b.length).toBe(0);
  });

  test('K2: the buffered count follows pushes and takes; consumed chunks are dropped', () => {
    const b = new ReadBuffer();
    for (let i = 0; i < 1000; i++) b.push(Buffer.from('abc\n'));
    expect(b.length).toBe(4000);
    for (let i = 0; i < 999; i++) b.takeLine(false, 'utf8', 100, false);
    expect(b.length).toBe(4);
    expect(b.takeLine(true, 'utf8', 100, false)).toBe('abc\n');
    expect(b.length).toBe(0);
  });
});
