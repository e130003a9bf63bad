/**
 * The vocabulary of differential traces: how values, errors and objects are written, so that two implementations
 * that behave the same produce equal traces.
 *
 * Invariants:
 * - Objects of a program are written by the program's own names (`T0`, `main`, `C1`, `G2`), never by serial
 *   numbers, which differ between implementations (native's greenlet serials run across programs).
 * - An error is written as its class name and its message, with the names inside the message rewritten the same
 *   way; an unknown `Tasklet#n`, `Channel#n` or `Greenlet#n` is written `Tasklet#?` (and so on). H6 and H7
 *   refusals are written by rule (see `Namer.error`).
 */

/** An error the programs throw themselves, so that no implementation could throw it by accident. */
export class ProgramError extends Error {
  constructor(
    message: string,
    /** Uncaught: the body that receives it lets it escape. */
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'ProgramError';
  }
}

/** Names the objects of one program run. */
export class Namer {
  private readonly names = new Map<unknown, string>();
  private readonly byString = new Map<string, string>();

  /** Registers `object` under `name`; its `toString()` in messages is rewritten to `name`. */
  add(object: unknown, name: string): void {
    this.names.set(object, name);
    this.byString.set(String(object), name);
  }

  /** A value as trace text. */
  value(v: unknown): string {
    const name = this.names.get(v);
    if (name !== undefined) return name;
    if (v === undefined) return 'undefined';
    if (v === null) return 'null';
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map((x) => this.value(x)).join(', ')}]`;
    if (v instanceof Error) return `<${this.error(v)}>`;
    return `<${typeof v}>`;
  }

  /**
   * An error as trace text: class, message with names rewritten, and its cause if any. A refusal of H6 or H7
   * (a message ending in "(H6)" or "(H7)") is written by its rule only, with the undelivered value as the cause
   * for H7: each layer names its own objects there (the greenlets at its level, the tasklets and greenlets below),
   * so their texts differ by design.
   */
  error(e: unknown): string {
    if (!(e instanceof Error)) return `thrown ${this.value(e)}`;
    const refusal = /\((?:\w+, )*(H6|H7)\)$/.exec(e.message);
    if (refusal !== null) {
      return refusal[1] === 'H6'
        ? `${e.constructor.name}: refused (H6)`
        : `${e.constructor.name}: redirected (H7) (cause ${this.value(e.cause)})`;
    }
    const message = e.message.replace(/\b(Tasklet|Channel|Greenlet)#(\w+)/g, (whole, kind: string) => {
      return this.byString.get(whole) ?? `${kind}#?`;
    });
    const cause = e.cause === undefined ? '' : ` (cause ${this.value(e.cause)})`;
    return `${e.constructor.name}: ${message}${cause}`;
  }
}

/** How many programs each property runs: DIFF_RUNS from the environment, else 200. */
export function diffRuns(): number {
  const n = Number(process.env.DIFF_RUNS);
  return Number.isInteger(n) && n > 0 ? n : 200;
}
