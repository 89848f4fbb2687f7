/**
 * The field vocabulary of the architecture schema: valibot schemas whose issue messages are the
 * architecture JSON's one-line errors (`expected a number ≥ 0, got -1`), and whose descriptions
 * and defaults go into the published JSON Schema.
 * @module
 */
import * as v from 'valibot';

/** How a value is named in an error message: `"big"`, `an array`, `an object`, `null`, `-1`. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return `"${x}"`;
  if (typeof x === 'object') return 'an object';
  return String(x);
}

/**
 * The message of a field that is present but wrong: `expected <expectation>, got <value>`. A key
 * that is present with the value `undefined` (possible from TypeScript, not from JSON) counts as
 * missing.
 */
export function expected(expectation: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.input === undefined ? 'required field is missing' : `expected ${expectation}, got ${describeValue(issue.input)}`);
}

/** Bounds of a number field. */
export interface NumberBounds {
  /** Integers only. */
  readonly integer?: boolean;
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Strictly positive. */
  readonly positive?: boolean;
  /** Inclusive upper bound. */
  readonly max?: number;
}

/** `a number ≥ 0`, `an integer ≥ 0 and ≤ 5`, `a number > 0`. */
function expectation(b: NumberBounds): string {
  const bounds: string[] = [];
  if (b.min !== undefined) bounds.push(`≥ ${b.min}`);
  if (b.positive) bounds.push('> 0');
  if (b.max !== undefined) bounds.push(`≤ ${b.max}`);
  return `${b.integer ? 'an integer' : 'a number'}${bounds.length ? ' ' + bounds.join(' and ') : ''}`;
}

/** A finite number within `bounds`; every violation reads `expected <an integer ≥ 1>, got <value>`. */
export function numberField(bounds: NumberBounds, description: string): v.GenericSchema<number> {
  const m = expected(expectation(bounds));
  const actions: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [v.finite(m)];
  if (bounds.integer) actions.push(v.integer(m));
  if (bounds.min !== undefined) actions.push(v.minValue(bounds.min, m));
  if (bounds.positive) actions.push(v.gtValue(0, m));
  if (bounds.max !== undefined) actions.push(v.maxValue(bounds.max, m));
  actions.push(v.description(description));
  return actions.reduce<v.GenericSchema<number>>((schema, action) => v.pipe(schema, action), v.number(m));
}

/** An optional number field with its default (filled in by validation, published in the JSON Schema). */
export function optionalNumber(bounds: NumberBounds, fallback: number, description: string) {
  return v.optional(numberField(bounds, description), fallback);
}

/** A string field. */
export function stringField(description: string) {
  return v.pipe(v.string(expected('a string')), v.description(description));
}

/** One string out of `options`; `message` names the expectation for a wrong value. */
export function picklistField<const T extends readonly [string, ...string[]]>(options: T, message: (issue: v.BaseIssue<unknown>) => string, description: string) {
  return v.pipe(v.picklist(options, message), v.description(description));
}

/** A plain object (not an array, not null): valibot's object schemas accept arrays, JSON's do not. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** An array of numbers within `bounds` (one per spatial axis, e.g. a filter shape); an element's problem names its index. */
export function numberArrayField(bounds: NumberBounds, what: string, description: string): v.GenericSchema<readonly number[], number[]> {
  const plural = expectation(bounds).replace(/^an integer/, 'integers').replace(/^a number/, 'numbers');
  return v.pipe(v.array(numberField(bounds, `One ${what}.`), expected(`an array of ${plural}`)), v.description(description));
}
