/**
 * The architecture JSON (conventions §2) → a network. Validation is {@link architectureSchema}
 * (in `architecture-schema.ts`); its first issue becomes an {@link InvalidArchitectureError} that
 * names the JSON path (`layers[3].wStd: expected a number ≥ 0, got -1`). Then each layer is built
 * by its entry in {@link layerBuilders}, one function per layer type.
 * @module
 */
import * as v from 'valibot';
import { type Layer, InvalidArchitectureError, ShapeMismatchError, WideError, fanInConcat, fanInProd, fanInSum, fanOut, identity, parallel, repeat, residual, serial } from '@wide/core';
import { dense, type Parameterization } from './dense.js';
import { flatten } from './flatten.js';
import { conv } from './conv.js';
import { avgPool, globalAvgPool, globalSumPool, sumPool } from './pool.js';
import { abRelu, abs, leakyRelu, relu } from './activations/relu.js';
import { erf, sigmoidLike } from './activations/erf.js';
import { gelu } from './activations/gelu.js';
import { cos, rbf, sin } from './activations/trig.js';
import { sign, step } from './activations/sign.js';
import { exp, gaussian } from './activations/exp.js';
import { monomial, polynomial } from './activations/polynomial.js';
import { rectifiedMonomial } from './activations/rectified-monomial.js';
import { elementwise } from './activations/elementwise.js';
import { type LayerType, type ValidArchitectureSpec, type ValidLayerSpec, type ValidLayerSpecOf, architectureSchema, layerSchema } from './architecture-schema.js';

export * from './architecture-schema.js';

/** What a build function gets besides its layer's validated fields. */
export interface BuildContext {
  /** The architecture's parameterisation (a layer's own `parameterization` overrides it). */
  readonly parameterization: Parameterization;
  /** Builds the layers held in field `field` of this layer; their errors name `<path>.<field>[i]`. */
  readonly layers: (specs: readonly ValidLayerSpec[], field: string) => Layer<any, any>[];
  /** This layer's path in the architecture (`layers[2]`, `layers[0].layers[1]`). */
  readonly path: string;
}

/** Shape errors already prefixed with their layer's path. */
const placed = new WeakSet<Error>();

/**
 * `layer` with the shape errors of its kernel rule and init (which depend on the input: a filter
 * larger than a VALID input, a spatial rank that differs from the filter's) prefixed by its path
 * in the architecture and its description: `layers[0] (conv channels=8, …): conv filter [3, 3] is 2-D but …`.
 */
function atPath<P, C>(layer: Layer<P, C>, path: string): Layer<P, C> {
  const where = `${path} (${layer.describe ?? layer.type})`;
  const wrap =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return f(...args);
      } catch (e) {
        if (!(e instanceof ShapeMismatchError) || placed.has(e)) throw e;
        const located = new ShapeMismatchError(`${where}: ${e.message}`);
        placed.add(located);
        throw located;
      }
    };
  return { ...layer, kernel: wrap(layer.kernel.bind(layer)), init: wrap(layer.init.bind(layer)) };
}

/** A build function per layer type, given that layer's validated fields (defaults filled in). */
export type LayerBuilders = { readonly [T in LayerType]: (spec: ValidLayerSpecOf<T>, ctx: BuildContext) => Layer<any, any> };

/** How each layer type of {@link layerSchemas} becomes a layer. */
export const layerBuilders: LayerBuilders = {
  dense: (s, c) => dense({ width: s.width, wStd: s.wStd, bStd: s.bStd, parameterization: s.parameterization ?? c.parameterization, trainable: s.trainable ?? true }),
  identity: () => identity(),
  flatten: () => flatten(),
  conv: (s, c) => {
    const { type: _type, parameterization, trainable, ...rest } = s;
    return atPath(conv({ ...rest, parameterization: parameterization ?? c.parameterization, trainable: trainable ?? true }), c.path);
  },
  avgPool: (s, c) => atPath(avgPool({ window: s.window, ...(s.stride ? { stride: s.stride } : {}), padding: s.padding }), c.path),
  sumPool: (s, c) => atPath(sumPool({ window: s.window, ...(s.stride ? { stride: s.stride } : {}), padding: s.padding }), c.path),
  globalAvgPool: (_s, c) => atPath(globalAvgPool(), c.path),
  globalSumPool: (_s, c) => atPath(globalSumPool(), c.path),
  relu: () => relu(),
  leakyRelu: (s) => leakyRelu(s.alpha),
  abRelu: (s) => abRelu(s.a, s.b),
  abs: () => abs(),
  erf: (s) => erf(s.a, s.b, s.c),
  sigmoidLike: () => sigmoidLike(),
  gelu: () => gelu(),
  sin: (s) => sin(s.a, s.b, s.c),
  cos: (s) => cos(s.a, s.b, s.c),
  sign: () => sign(),
  step: () => step(),
  exp: (s) => exp(s.a, s.b),
  gaussian: (s) => gaussian(s.a, s.b),
  rbf: (s) => rbf(s.gamma),
  monomial: (s) => monomial(s.degree),
  rectifiedMonomial: (s) => rectifiedMonomial(s.degree),
  polynomial: (s) => polynomial(s.coef),
  elementwise: (s) => elementwise({ fn: s.fn, degree: s.degree }),
  fanOut: (s) => fanOut(s.n),
  fanInSum: () => fanInSum(),
  fanInProd: () => fanInProd(),
  fanInConcat: () => fanInConcat(),
  serial: (s, c) => serial(...c.layers(s.layers, 'layers')),
  parallel: (s, c) => parallel(...s.branches.map((branch, i) => serial(...c.layers(branch, `branches[${i}]`)))),
  residual: (s, c) => residual(...c.layers(s.layers, 'layers')),
  repeat: (s, c) => repeat(s.n, ...c.layers(s.layers, 'layers')),
};

/** `layers[2].branches[0][1].wStd` from a prefix and a valibot issue path. */
function joinPath(prefix: string, path: v.IssuePathItem[] | undefined): string {
  return (path ?? []).reduce<string>((p, item) => (typeof item.key === 'number' ? `${p}[${item.key}]` : p ? `${p}.${String(item.key)}` : String(item.key)), prefix);
}

const isUnknownField = (issue: v.BaseIssue<unknown>) => issue.type === 'strict_object' && issue.expected === 'never';

/** Whether `path` lies inside the object at `object` (is a field of it, or deeper). */
function inside(path: v.IssuePathItem[], object: v.IssuePathItem[]): boolean {
  return path.length > object.length && object.every((item, i) => item.key === path[i]!.key);
}

/**
 * The issue to report: the first in document order, except that an unknown field of an object
 * comes before any problem inside that object (a misspelt field explains a "missing" one).
 */
function firstIssue(issues: readonly [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): v.BaseIssue<unknown> {
  let first = issues[0];
  for (const issue of issues) {
    if (isUnknownField(issue) && inside(first.path ?? [], (issue.path ?? []).slice(0, -1))) first = issue;
  }
  return first;
}

/** Validates `value` against `schema`; the first issue becomes an {@link InvalidArchitectureError} at `prefix` + its path. */
function validate<I, O>(schema: v.GenericSchema<I, O>, value: unknown, prefix: string): O {
  const result = v.safeParse(schema, value, { abortEarly: false });
  if (result.success) return result.output;
  const issue = firstIssue(result.issues);
  throw new InvalidArchitectureError(joinPath(prefix, issue.path), issue.message);
}

/** Errors of nested layers already carry their full path. */
const located = new WeakSet<Error>();

function build(spec: ValidLayerSpec, path: string, parameterization: Parameterization): Layer<any, any> {
  const ctx: BuildContext = {
    parameterization,
    path,
    layers: (specs, field) => specs.map((s, i) => build(s, `${path}.${field}[${i}]`, parameterization)),
  };
  try {
    return (layerBuilders[spec.type] as (s: ValidLayerSpec, c: BuildContext) => Layer<any, any>)(spec, ctx);
  } catch (e) {
    if (e instanceof Error && located.has(e)) throw e;
    let error = e;
    // A factory's own check (e.g. `degree: expected …`) names a field of this layer.
    if (e instanceof InvalidArchitectureError) error = new InvalidArchitectureError(e.path ? `${path}.${e.path}` : path, e.path ? e.message.slice(e.path.length + 2) : e.message);
    else if (e instanceof WideError) error = new InvalidArchitectureError(`${path}.type`, e.message);
    if (error instanceof InvalidArchitectureError) located.add(error);
    throw error;
  }
}

/**
 * Validates an architecture JSON value (parsed) against {@link architectureSchema} and returns it
 * with every default filled in; throws an {@link InvalidArchitectureError} naming the path.
 */
export function validateArchitecture(spec: unknown): ValidArchitectureSpec {
  return validate(architectureSchema, spec, '');
}

/** Validates one layer spec and builds it; errors name `path` (e.g. `layers[2]`). */
export function buildLayer(spec: unknown, path: string, parameterization: Parameterization = 'ntk'): Layer<any, any> {
  return build(validate(layerSchema, spec, path), path, parameterization);
}

/** Validates an architecture JSON value (parsed) and builds the network as one serial layer. */
export function fromArchitecture(spec: unknown): Layer<any, any> {
  const arch = validateArchitecture(spec);
  return serial(...arch.layers.map((s, i) => build(s, `layers[${i}]`, arch.parameterization)));
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
