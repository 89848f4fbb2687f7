/**
 * The architecture JSON (conventions §2): validation with errors that name the offending path
 * (e.g. `layers[3].wStd: expected a number ≥ 0`) and construction of the layer tree.
 * @module
 */
import { type Layer, InvalidArchitectureError, WideError, fanInConcat, fanInProd, fanInSum, fanOut, identity, parallel, repeat, residual, serial } from '@wide/core';
import { dense, type Parameterization } from './dense.js';
import { flatten } from './flatten.js';
import { abRelu, abs, leakyRelu, relu } from './activations/relu.js';
import { erf, sigmoidLike } from './activations/erf.js';
import { gelu } from './activations/gelu.js';
import { cos, rbf, sin } from './activations/trig.js';
import { sign, step } from './activations/sign.js';
import { exp, gaussian } from './activations/exp.js';
import { monomial, polynomial } from './activations/polynomial.js';
import { rectifiedMonomial } from './activations/rectified-monomial.js';
import { elementwise } from './activations/elementwise.js';

/** One layer of the architecture JSON. */
export interface LayerSpec {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** The architecture JSON. */
export interface ArchitectureSpec {
  /** Default parameterisation of trainable layers (`ntk` if absent). */
  readonly parameterization?: Parameterization;
  /** The layers, applied in series. */
  readonly layers: readonly LayerSpec[];
  /** Optional free-text name. */
  readonly name?: string;
  /** Optional free-text description. */
  readonly description?: string;
}

type Field =
  | { kind: 'number'; min?: number; positive?: boolean; integer?: boolean; max?: number; optional?: boolean }
  | { kind: 'enum'; values: readonly string[]; optional?: boolean }
  | { kind: 'string'; optional?: boolean }
  | { kind: 'numbers' }
  | { kind: 'layers' }
  | { kind: 'branches' };

type Fields = Record<string, Field>;
type Built = (f: Record<string, any>, ctx: { parameterization: Parameterization; path: string }) => Layer<any, any>;

const num = (extra: Omit<Extract<Field, { kind: 'number' }>, 'kind'> = {}): Field => ({ kind: 'number', optional: true, ...extra });
const std = num({ min: 0 });
const finite = num();
const trainable = { parameterization: { kind: 'enum', values: ['ntk', 'standard'], optional: true } } as const satisfies Fields;

/** Types named by the conventions whose layers come in later issues. */
const notYetImplemented = new Set(['conv', 'attention', 'avgPool', 'globalAvgPool', 'layerNorm', 'dropout']);

const registry: Record<string, { fields: Fields; build: Built }> = {
  dense: {
    fields: { width: num({ integer: true, min: 1 }), wStd: std, bStd: std, ...trainable },
    build: (f, c) => dense({ width: f.width, wStd: f.wStd, bStd: f.bStd, parameterization: f.parameterization ?? c.parameterization }),
  },
  identity: { fields: {}, build: () => identity() },
  flatten: { fields: {}, build: () => flatten() },
  relu: { fields: {}, build: () => relu() },
  leakyRelu: { fields: { alpha: finite }, build: (f) => leakyRelu(f.alpha ?? 0.01) },
  abRelu: { fields: { a: finite, b: finite }, build: (f) => abRelu(f.a ?? 0, f.b ?? 1) },
  abs: { fields: {}, build: () => abs() },
  erf: { fields: { a: finite, b: finite, c: finite }, build: (f) => erf(f.a ?? 1, f.b ?? 1, f.c ?? 0) },
  sigmoidLike: { fields: {}, build: () => sigmoidLike() },
  gelu: { fields: {}, build: () => gelu() },
  sin: { fields: { a: finite, b: finite, c: finite }, build: (f) => sin(f.a ?? 1, f.b ?? 1, f.c ?? 0) },
  cos: { fields: { a: finite, b: finite, c: finite }, build: (f) => cos(f.a ?? 1, f.b ?? 1, f.c ?? 0) },
  sign: { fields: {}, build: () => sign() },
  step: { fields: {}, build: () => step() },
  exp: { fields: { a: finite, b: finite }, build: (f) => exp(f.a ?? 1, f.b ?? 1) },
  gaussian: { fields: { a: finite, b: finite }, build: (f) => gaussian(f.a ?? 1, f.b ?? -1) },
  rbf: { fields: { gamma: num({ positive: true }) }, build: (f) => rbf(f.gamma ?? 1) },
  monomial: { fields: { degree: { kind: 'number', integer: true, min: 0, max: 5 } }, build: (f) => monomial(f.degree) },
  rectifiedMonomial: { fields: { degree: { kind: 'number', integer: true, min: 0, max: 30 } }, build: (f) => rectifiedMonomial(f.degree) },
  polynomial: { fields: { coef: { kind: 'numbers' } }, build: (f) => polynomial(f.coef) },
  elementwise: {
    fields: { fn: { kind: 'string' }, degree: num({ integer: true, min: 2, max: 180 }) },
    build: (f) => elementwise({ fn: f.fn, degree: f.degree }),
  },
  serial: { fields: { layers: { kind: 'layers' } }, build: (f) => serial(...f.layers) },
  parallel: { fields: { branches: { kind: 'branches' } }, build: (f) => parallel(...f.branches) },
  fanOut: { fields: { n: { kind: 'number', integer: true, min: 1 } }, build: (f) => fanOut(f.n) },
  fanInSum: { fields: {}, build: () => fanInSum() },
  fanInProd: { fields: {}, build: () => fanInProd() },
  fanInConcat: { fields: {}, build: () => fanInConcat() },
  residual: { fields: { layers: { kind: 'layers' } }, build: (f) => residual(...f.layers) },
  repeat: { fields: { n: { kind: 'number', integer: true, min: 0 }, layers: { kind: 'layers' } }, build: (f) => repeat(f.n, ...f.layers) },
};

/** The layer types the architecture JSON accepts. */
export const layerTypes: readonly string[] = Object.keys(registry);

/** Layer types reserved by the conventions but not implemented yet. */
export const plannedLayerTypes: readonly string[] = [...notYetImplemented];

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function checkNumber(path: string, v: unknown, f: Extract<Field, { kind: 'number' }>): number {
  const bounds: string[] = [];
  if (f.min !== undefined) bounds.push(`≥ ${f.min}`);
  if (f.positive) bounds.push('> 0');
  if (f.max !== undefined) bounds.push(`≤ ${f.max}`);
  const what = `${f.integer ? 'an integer' : 'a number'}${bounds.length ? ' ' + bounds.join(' and ') : ''}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArchitectureError(path, `expected ${what}, got ${describe(v)}`);
  if ((f.integer && !Number.isInteger(v)) || (f.min !== undefined && v < f.min) || (f.positive && !(v > 0)) || (f.max !== undefined && v > f.max)) {
    throw new InvalidArchitectureError(path, `expected ${what}, got ${v}`);
  }
  return v;
}

function buildLayers(path: string, v: unknown, param: Parameterization): Layer<any, any>[] {
  if (!Array.isArray(v)) throw new InvalidArchitectureError(path, `expected an array of layers, got ${describe(v)}`);
  return v.map((s, i) => buildLayer(s, `${path}[${i}]`, param));
}

/** Validates one layer spec and builds it; errors name `path`. */
export function buildLayer(spec: unknown, path: string, parameterization: Parameterization = 'ntk'): Layer<any, any> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new InvalidArchitectureError(path, `expected a layer object, got ${describe(spec)}`);
  const obj = spec as Record<string, unknown>;
  const type = obj['type'];
  if (typeof type !== 'string') throw new InvalidArchitectureError(`${path}.type`, `expected a layer type string, got ${describe(type)}`);
  if (notYetImplemented.has(type)) throw new InvalidArchitectureError(`${path}.type`, `"${type}" is in the conventions but not implemented yet`);
  const entry = registry[type];
  if (!entry) throw new InvalidArchitectureError(`${path}.type`, `unknown layer type "${type}" (known: ${layerTypes.join(', ')})`);
  const values: Record<string, any> = {};
  for (const key of Object.keys(obj)) {
    if (key !== 'type' && !(key in entry.fields)) {
      const known = Object.keys(entry.fields);
      throw new InvalidArchitectureError(`${path}.${key}`, `unknown field for "${type}" (${known.length ? `known: ${known.join(', ')}` : 'it takes no fields'})`);
    }
  }
  for (const [key, f] of Object.entries(entry.fields)) {
    const fp = `${path}.${key}`;
    const v = obj[key];
    if (v === undefined) {
      if ('optional' in f && f.optional) continue;
      throw new InvalidArchitectureError(fp, 'required field is missing');
    }
    switch (f.kind) {
      case 'number':
        values[key] = checkNumber(fp, v, f);
        break;
      case 'enum':
        if (typeof v !== 'string' || !f.values.includes(v)) throw new InvalidArchitectureError(fp, `expected one of ${f.values.map((x) => `"${x}"`).join(', ')}, got ${describe(v)}`);
        values[key] = v;
        break;
      case 'string':
        if (typeof v !== 'string') throw new InvalidArchitectureError(fp, `expected a string, got ${describe(v)}`);
        values[key] = v;
        break;
      case 'numbers':
        if (!Array.isArray(v)) throw new InvalidArchitectureError(fp, `expected an array of numbers, got ${describe(v)}`);
        values[key] = v.map((x, i) => checkNumber(`${fp}[${i}]`, x, { kind: 'number' }));
        break;
      case 'layers':
        values[key] = buildLayers(fp, v, parameterization);
        break;
      case 'branches':
        if (!Array.isArray(v)) throw new InvalidArchitectureError(fp, `expected an array of branches (arrays of layers), got ${describe(v)}`);
        values[key] = v.map((b, i) => serial(...buildLayers(`${fp}[${i}]`, b, parameterization)));
        break;
    }
  }
  try {
    return entry.build(values, { parameterization, path });
  } catch (e) {
    if (e instanceof InvalidArchitectureError) throw new InvalidArchitectureError(e.path ? `${path}.${e.path}` : path, e.message.replace(/^[^:]*: /, ''));
    if (e instanceof WideError) throw new InvalidArchitectureError(`${path}.type`, e.message);
    throw e;
  }
}

/** Validates an architecture JSON value (parsed) and builds the network as one serial layer. */
export function fromArchitecture(spec: unknown): Layer<any, any> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new InvalidArchitectureError('', `the architecture must be an object with a "layers" array, got ${describe(spec)}`);
  const obj = spec as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!['parameterization', 'layers', 'name', 'description', '$schema'].includes(key)) {
      throw new InvalidArchitectureError(key, 'unknown top-level field (known: parameterization, layers, name, description)');
    }
  }
  let param: Parameterization = 'ntk';
  if (obj['parameterization'] !== undefined) {
    const p = obj['parameterization'];
    if (p !== 'ntk' && p !== 'standard') throw new InvalidArchitectureError('parameterization', `expected "ntk" or "standard", got ${describe(p)}`);
    param = p;
  }
  if (obj['layers'] === undefined) throw new InvalidArchitectureError('layers', 'required field is missing');
  return serial(...buildLayers('layers', obj['layers'], param));
}

/** Parses architecture JSON text; syntax errors become {@link InvalidArchitectureError}. */
export function parseArchitecture(text: string): Layer<any, any> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidArchitectureError('', `not valid JSON: ${(e as Error).message}`);
  }
  return fromArchitecture(value);
}
