import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Layer, InvalidArchitectureError, Rng, computeKernel, serial, tensor } from '@wide/core';
import {
  type ArchitectureSpec,
  type LayerSpec,
  type ParallelSpec,
  type RepeatSpec,
  type ResidualSpec,
  type SerialSpec,
  type ValidLayerSpec,
  avgPool,
  buildLayer,
  combinatorSchemas,
  conv,
  cos,
  dense,
  elementwise,
  erf,
  exp,
  flatten,
  fromArchitecture,
  gaussian,
  layerTypes,
  leakyRelu,
  plannedLayerTypes,
  rbf,
  relu,
  sin,
  sumPool,
  validateArchitecture,
} from '../src/index.js';
import { architectureJsonSchemaText } from '../scripts/generate-schema.js';
import { type JsonSchema, jsonSchemaErrors, unsupportedKeywords } from './json-schema-subset.js';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const read = (path: string) => readFileSync(root(path), 'utf8');
const published = JSON.parse(read('packages/layers/architecture.schema.json')) as JsonSchema;

function errorOf(f: () => unknown): InvalidArchitectureError {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidArchitectureError) return e;
    throw e;
  }
  throw new Error('expected an InvalidArchitectureError');
}

/** The planned (reserved) layer types an architecture uses, found anywhere in it. */
const plannedIn = (arch: unknown) => plannedLayerTypes.filter((t) => JSON.stringify(arch).includes(`"type":"${t}"`));

/** Valid (schema, JSON Schema, and it builds), or, if it uses a reserved type, the reserved error. */
function expectValidOrReserved(arch: unknown, where: string): void {
  if (plannedIn(arch).length > 0) {
    expect(() => fromArchitecture(arch), where).toThrow(/is in the conventions but not implemented yet/);
    return;
  }
  expect(() => validateArchitecture(arch), where).not.toThrow();
  expect(() => fromArchitecture(arch), where).not.toThrow();
  expect(jsonSchemaErrors(published, arch), where).toEqual([]);
}

// ---- architectures written in the docs and examples -------------------------------------------

/** Index of the brace that closes the one at `open`, skipping string literals. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** A JSON or JavaScript object literal (single quotes, bare keys, trailing commas) as a value. */
function literalValue(literal: string): unknown {
  try {
    return JSON.parse(literal);
  } catch {
    const json = literal
      .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
      .replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')
      .replace(/,(\s*[}\]])/g, '$1');
    return JSON.parse(json);
  }
}

/** A spread, a shorthand property or a value taken from a variable (not `true`, `false` or `null`). */
const COMPUTED = /\.\.\.|[{,]\s*[A-Za-z_$][\w$]*\s*[,}]|:\s*(?!true\b|false\b|null\b)[A-Za-z_$][\w$.]*\s*[,}\]]/;

/** Every object literal in `text` that starts with a `layers`, `parameterization` or `$schema` key. */
function architecturesIn(text: string): unknown[] {
  const found: unknown[] = [];
  const start = /\{\s*(["']?)(layers|parameterization|\$schema)\1\s*:/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const end = closingBrace(text, m.index);
    if (end < 0) throw new Error(`unclosed architecture at ${m.index}`);
    const literal = text.slice(m.index, end + 1);
    // Architectures built by code (a spread, a shorthand `width`, a value from a variable) are not literals to check here.
    if (!COMPUTED.test(literal)) found.push(literalValue(literal));
    start.lastIndex = end + 1;
  }
  return found;
}

const packageDirs = (dir: string) => readdirSync(root(dir), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}/${d.name}`);
const filesIn = (dir: string, ext: string) => {
  try {
    return readdirSync(root(dir)).filter((f) => f.endsWith(ext)).map((f) => `${dir}/${f}`);
  } catch {
    return [];
  }
};
const docFiles = [
  'README.md',
  'docs/conventions.md',
  'apps/cli/README.md',
  'apps/cli/src/commands/demo.ts',
  ...packageDirs('packages').flatMap((p) => [...filesIn(p, 'README.md'), ...filesIn(`${p}/examples`, '.ts')]),
];
const docArchitectures = docFiles.flatMap((file) => architecturesIn(read(file)).map((arch, i) => [`${file} #${i + 1}`, arch] as const));

describe('every architecture in the docs and examples validates', () => {
  it('finds them where they are known to be', () => {
    const files = new Set(docArchitectures.map(([name]) => name.split(' #')[0]));
    for (const f of ['README.md', 'docs/conventions.md', 'apps/cli/README.md', 'apps/cli/src/commands/demo.ts', 'packages/layers/README.md', 'packages/layers/examples/architecture-json.ts']) {
      expect(files, f).toContain(f);
    }
  });
  it.each(docArchitectures)('%s', (where, arch) => expectValidOrReserved(arch, where));
});

// ---- golden files ------------------------------------------------------------------------------

describe('the golden architectures (packages/testing/golden)', () => {
  // fc-kernels.json stores each case's network as a bare `layers` array.
  const fc = (JSON.parse(read('packages/testing/golden/fc-kernels.json')) as { cases: { net: string; layers: unknown[] }[] }).cases;
  it.each(fc.map((c, i) => [`fc-kernels #${i + 1}: ${c.net}`, c.layers] as const))('%s validates', (where, layers) => expectValidOrReserved({ layers }, where));

  // cnn-kernels.json stores `layers` too (conv, pooling, flatten, dense).
  const cnn = (JSON.parse(read('packages/testing/golden/cnn-kernels.json')) as { cases: { layers: { type: string }[] }[] }).cases;
  it.each(cnn.map((c, i) => [`cnn-kernels #${i + 1}`, c.layers] as const))('%s validates', (where, layers) => {
    expect(plannedIn({ layers })).toEqual([]);
    expectValidOrReserved({ layers }, where);
  });
});

// ---- fast-check architectures from @wide/testing -------------------------------------------------

interface ArbOptions {
  minDepth?: number;
  maxDepth?: number;
  activations?: readonly LayerSpec[];
  bias?: boolean;
  residual?: boolean;
  parameterization?: 'ntk' | 'standard';
}
// Read by path (as the golden values are): @wide/testing depends on this package. The path is
// computed so that the type-check of this package does not pull @wide/testing's sources in.
const arbitraries = (await import(fileURLToPath(new URL(['..', '..', 'testing', 'src', 'arbitraries.ts'].join('/'), import.meta.url)))) as {
  arbArchitecture: (o?: ArbOptions) => fc.Arbitrary<unknown>;
  arbCnnArchitecture: (o?: { spatial?: readonly number[]; readout?: string; pooling?: boolean; parameterization?: string; bias?: boolean }) => fc.Arbitrary<ArchitectureSpec>;
  safeActivations: readonly LayerSpec[];
};

describe('architectures drawn by @wide/testing arbArchitecture validate', () => {
  const every: LayerSpec[] = [...arbitraries.safeActivations, { type: 'elementwise', fn: 'tanh', degree: 20 }, { type: 'exp', a: 0.5, b: 0.3 }];
  it.each([
    ['defaults', {}],
    ['standard parameterisation, no bias, deep', { parameterization: 'standard', bias: false, minDepth: 3, maxDepth: 6 }],
    ['no residual blocks, every activation', { residual: false, activations: every }],
  ] as const)('%s', (_name, options: ArbOptions) => {
    fc.assert(
      fc.property(arbitraries.arbArchitecture(options), (arch) => {
        expect(() => validateArchitecture(arch)).not.toThrow();
        expect(() => fromArchitecture(arch)).not.toThrow();
        expect(jsonSchemaErrors(published, arch)).toEqual([]);
      }),
      { numRuns: 100, seed: 6 },
    );
  });
});

describe('architectures drawn by @wide/testing arbCnnArchitecture validate and fit their inputs', () => {
  it.each([
    ['CNN-V on 6×6 images', { spatial: [6, 6] }],
    ['pooling and global average pooling on 5×4 images, standard', { spatial: [5, 4], pooling: true, readout: 'globalAvgPool', parameterization: 'standard' }],
    ['1-D, global sum pooling, no bias', { spatial: [7], readout: 'globalSumPool', bias: false }],
  ] as const)('%s', (_name, options) => {
    const x = tensor(Array.from({ length: 2 * options.spatial.reduce((a: number, b: number) => a * b, 1) * 2 }, (_, i) => Math.sin(0.7 * i + 0.3)), [2, ...options.spatial, 2]);
    fc.assert(
      fc.property(arbitraries.arbCnnArchitecture(options), (arch) => {
        expect(() => validateArchitecture(arch)).not.toThrow();
        expect(jsonSchemaErrors(published, arch)).toEqual([]);
        const k = computeKernel(fromArchitecture(arch), x);
        expect(k.spatial).toEqual([]);
        expect(k.nngp.every((v) => Number.isFinite(v))).toBe(true);
      }),
      { numRuns: 50, seed: 6 },
    );
  });
});

// ---- the invalid cases of errors.test.ts, by the schema alone ---------------------------------

describe('the schema alone rejects each invalid case with its JSON path', () => {
  it.each([
    [{ layers: [{ type: 'dense' }, { type: 'rleu' }] }, 'layers[1].type', /unknown layer type "rleu" \(known: dense, identity,/],
    [{ layers: [{ type: 'dense', wstd: 1 }] }, 'layers[0].wstd', /unknown field for "dense" \(known: width, wStd, bStd, parameterization, trainable\)/],
    [{ layers: [{ type: 'dense', wStd: -1 }] }, 'layers[0].wStd', /^layers\[0\]\.wStd: expected a number ≥ 0, got -1$/],
    [{ layers: [{ type: 'dense', width: 2.5 }] }, 'layers[0].width', /expected an integer ≥ 1, got 2.5/],
    [{ layers: [{ type: 'dense', bStd: 'big' }] }, 'layers[0].bStd', /got "big"/],
    [{ layers: [{ type: 'residual', layers: [{ type: 'dense', bStd: -0.1 }] }] }, 'layers[0].layers[0].bStd', /≥ 0/],
    [{ layers: [{ type: 'parallel', branches: [[{ type: 'relu', alpha: 1 }]] }] }, 'layers[0].branches[0][0].alpha', /unknown field for "relu" \(it takes no fields\)/],
    [{ layers: [{ type: 'monomial', degree: 6 }] }, 'layers[0].degree', /expected an integer ≥ 0 and ≤ 5, got 6/],
    [{ layers: [{ type: 'monomial' }] }, 'layers[0].degree', /required field is missing/],
    [{ layers: [{ type: 'elementwise', fn: 'cosh' }] }, 'layers[0].fn', /unknown function "cosh" \(known: tanh, sigmoid/],
    [{ layers: [{ type: 'attention' }] }, 'layers[0].type', /"attention" is in the conventions but not implemented yet/],
    [{ layers: [{ type: 'conv', channels: 3 }] }, 'layers[0].filter', /^layers\[0\]\.filter: required field is missing$/],
    [{ layers: [{ type: 'conv', filter: [3, 0] }] }, 'layers[0].filter[1]', /^layers\[0\]\.filter\[1\]: expected an integer ≥ 1, got 0$/],
    [{ layers: [{ type: 'conv', filter: 3 }] }, 'layers[0].filter', /expected an array of integers ≥ 1, got 3/],
    [{ layers: [{ type: 'conv', filter: [3], stride: [0] }] }, 'layers[0].stride[0]', /expected an integer ≥ 1, got 0/],
    [{ layers: [{ type: 'conv', filter: [3], padding: 'FULL' }] }, 'layers[0].padding', /expected one of "SAME", "VALID", "CIRCULAR", got "FULL"/],
    [{ layers: [{ type: 'avgPool', window: [2], stride: [-1] }] }, 'layers[0].stride[0]', /expected an integer ≥ 1, got -1/],
    [{ layers: [{ type: 'avgPool' }] }, 'layers[0].window', /required field is missing/],
    [{ layers: [], parametrization: 'ntk' }, 'parametrization', /unknown top-level field \(known: parameterization, layers, name, description\)/],
    [{ layers: [], parameterization: 'mup' }, 'parameterization', /expected "ntk" or "standard", got "mup"/],
    [{ layer: [] }, 'layer', /unknown top-level field/],
    [{}, 'layers', /required field is missing/],
    // Beyond errors.test.ts: values that are not objects or arrays, and the order of reports.
    [[], '', /the architecture must be an object with a "layers" array, got an array/],
    [{ layers: [[]] }, 'layers[0]', /expected a layer object, got an array/],
    [{ layers: [{ type: 7 }] }, 'layers[0].type', /expected a layer type string, got 7/],
    [{ layers: [{ type: 'parallel', branches: [{}] }] }, 'layers[0].branches[0]', /expected an array of layers, got an object/],
    [{ layers: [{ type: 'polynomial', coef: [1, null] }] }, 'layers[0].coef[1]', /expected a number, got null/],
    [{ layers: [{ type: 'rbf', gamma: 0 }] }, 'layers[0].gamma', /expected a number > 0, got 0/],
    [{ layers: [{ type: 'dense', bStd: -1, wstd: 1 }] }, 'layers[0].wstd', /unknown field/],
    [{ layers: [{ type: 'dense', wStd: -1 }, { type: 'dense', foo: 1 }] }, 'layers[0].wStd', /≥ 0/],
  ] as const)('%j → %s', (spec, path, message) => {
    const e = errorOf(() => validateArchitecture(spec));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
    if (path) expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(jsonSchemaErrors(published, spec)).not.toEqual([]);
  });

  it('a field present with the value undefined counts as missing', () => {
    expect(errorOf(() => validateArchitecture({ layers: [{ type: 'fanOut', n: undefined }] })).message).toBe('layers[0].n: required field is missing');
  });

  it('buildLayer names its own path', () => {
    expect(errorOf(() => buildLayer({ type: 'serial', layers: [{ type: 'erf', d: 1 }] }, 'layers[4]')).path).toBe('layers[4].layers[0].d');
  });
});

// ---- defaults, the JSON Schema file, the types --------------------------------------------------

describe('validation fills in the defaults the factories use', () => {
  const x = tensor([1, 0.5, -0.3, 0.2, 0.9, -1.1], [2, 3]);
  const k = (l: Layer<any, any>) => computeKernel(serial(dense({ wStd: 1.3, bStd: 0.2 }), l), x);
  const cases: [string, Layer<any, any>][] = [
    ['dense', dense()],
    ['leakyRelu', leakyRelu()],
    ['abRelu', relu()],
    ['erf', erf()],
    ['sin', sin()],
    ['cos', cos()],
    ['exp', exp()],
    ['gaussian', gaussian()],
    ['rbf', rbf()],
    ['elementwise', elementwise({ fn: 'tanh' })],
  ];
  // Spatial layers, on images (conv's required field: filter; the pools': window).
  const img = tensor(Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => Math.sin(1.3 * i) + 0.2), [2, 4, 4, 2]);
  const spatialCases: [string, Record<string, unknown>, Layer<any, any>][] = [
    ['conv', { type: 'conv', filter: [3, 3] }, conv({ filter: [3, 3] })],
    ['avgPool', { type: 'avgPool', window: [2, 2] }, avgPool({ window: [2, 2] })],
    ['sumPool', { type: 'sumPool', window: [2, 2] }, sumPool({ window: [2, 2] })],
  ];
  it('covers every layer type with a default', () => {
    const defs = published['$defs'] as Record<string, { properties?: Record<string, { default?: unknown }> }>;
    const withDefaults = layerTypes.filter((t) => Object.values(defs[t]!.properties ?? {}).some((p) => 'default' in p));
    expect(withDefaults.sort()).toEqual([...cases, ...spatialCases].map(([t]) => t).sort());
  });
  it.each(spatialCases)('%s', (_type, json, factory) => {
    const ks = [buildLayer(json, 'layer'), factory].map((l) => computeKernel(serial(conv({ filter: [2, 2], wStd: 1.2, bStd: 0.3 }), l, flatten()), img));
    expect(Array.from(ks[0]!.nngp)).toEqual(Array.from(ks[1]!.nngp));
    expect(Array.from(ks[0]!.ntk!)).toEqual(Array.from(ks[1]!.ntk!));
    const { params } = buildLayer(json, 'layer').init(new Rng(1), [4, 4, 2], {});
    expect(params).toBeTruthy();
  });
  it('conv channels default to 512, padding to SAME, stride and dilation to 1; pooling stride to the window, padding to VALID', () => {
    expect(validateArchitecture({ layers: [{ type: 'conv', filter: [3, 3] }, { type: 'avgPool', window: [2, 2] }] }).layers).toEqual([
      { type: 'conv', channels: 512, filter: [3, 3], padding: 'SAME', wStd: 1, bStd: 0 },
      { type: 'avgPool', window: [2, 2], padding: 'VALID' },
    ]);
    const { outputShape } = buildLayer({ type: 'conv', filter: [3, 3] }, 'layer').init(new Rng(1), [5, 5, 2], {});
    expect(outputShape).toEqual([5, 5, 512]);
    expect(buildLayer({ type: 'avgPool', window: [2, 2] }, 'layer').init(new Rng(1), [5, 5, 2], {}).outputShape).toEqual([2, 2, 2]);
  });
  it.each(cases)('%s', (type, factory) => {
    const fromJson = buildLayer(type === 'elementwise' ? { type, fn: 'tanh' } : { type }, 'layer');
    const [a, b] = [k(fromJson), k(factory)];
    expect(Array.from(a.nngp)).toEqual(Array.from(b.nngp));
    expect(Array.from(a.ntk!)).toEqual(Array.from(b.ntk!));
  });
  it('dense width defaults to 512, and parameterization to the architecture’s', () => {
    expect(validateArchitecture({ layers: [{ type: 'dense' }] })).toEqual({ parameterization: 'ntk', layers: [{ type: 'dense', width: 512, wStd: 1, bStd: 0 }] });
    const { params } = buildLayer({ type: 'dense' }, 'layer').init(new Rng(1), [3], {});
    expect((params as { width: number }).width).toBe(512);
  });
});

describe('architecture.schema.json', () => {
  it('equals a fresh generation (run `pnpm --filter @wide/layers schema` after changing the schema)', () => {
    expect(read('packages/layers/architecture.schema.json')).toBe(architectureJsonSchemaText());
  });
  it('is draft-07, lists every layer type, and describes every field', () => {
    expect(published['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    const defs = published['$defs'] as Record<string, { properties: Record<string, { description?: string }> }>;
    expect(((defs['layer'] as unknown as { oneOf: { $ref: string }[] }).oneOf).map((o) => o.$ref)).toEqual(layerTypes.map((t) => `#/$defs/${t}`));
    for (const t of layerTypes) for (const [field, p] of Object.entries(defs[t]!.properties)) expect(p.description, `${t}.${field}`).toBeTruthy();
  });
  it('has no layer type both implemented and planned', () => expect(layerTypes.filter((t) => plannedLayerTypes.includes(t))).toEqual([]));
  it('uses only keywords the test validator implements', () => expect(unsupportedKeywords(published)).toEqual([]));
  it('accepts "$schema" in an architecture file', () => {
    const arch = { $schema: './node_modules/@wide/layers/architecture.schema.json', name: 'mlp', layers: [{ type: 'dense' }, { type: 'relu' }] };
    expectValidOrReserved(arch, 'with $schema');
  });
  it('rejects what valibot rejects beyond the error tests', () => {
    for (const bad of [[], { layers: [[]] }, { layers: [{ type: 'dense', width: 0 }] }, { layers: [{ type: 'elementwise', fn: 'tanh', degree: 181 }] }, { layers: [], name: 3 }]) {
      expect(() => validateArchitecture(bad)).toThrow(InvalidArchitectureError);
      expect(jsonSchemaErrors(published, bad), JSON.stringify(bad)).not.toEqual([]);
    }
  });
});

describe('the types come from the schema', () => {
  it('combinator interfaces equal the inferred schema types', () => {
    expectTypeOf<v.InferInput<typeof combinatorSchemas.serial>>().toEqualTypeOf<SerialSpec>();
    expectTypeOf<v.InferInput<typeof combinatorSchemas.parallel>>().toEqualTypeOf<ParallelSpec>();
    expectTypeOf<v.InferInput<typeof combinatorSchemas.residual>>().toEqualTypeOf<ResidualSpec>();
    expectTypeOf<v.InferInput<typeof combinatorSchemas.repeat>>().toEqualTypeOf<RepeatSpec>();
    expectTypeOf<v.InferOutput<typeof combinatorSchemas.repeat>>().toEqualTypeOf<RepeatSpec<ValidLayerSpec>>();
  });
  it('LayerSpec is discriminated by type; readonly arrays are accepted', () => {
    const layers = [{ type: 'dense', width: 8, wStd: 1.5 }, { type: 'polynomial', coef: [0, 1] }, { type: 'residual', layers: [{ type: 'relu' }] }] as const;
    const arch: ArchitectureSpec = { parameterization: 'standard', layers };
    expect(arch.layers).toHaveLength(3);
    expectTypeOf<Extract<LayerSpec, { type: 'dense' }>>().toHaveProperty('wStd');
    // A list written without a type keeps its literal types with `as const` (without it, `type`
    // widens to string, which no member of the union accepts).
    const activations = [{ type: 'relu' }, { type: 'leakyRelu', alpha: 0.2 }, { type: 'abRelu', a: -0.5, b: 1.5 }] as const;
    const asSpecs: readonly LayerSpec[] = activations;
    expect(asSpecs).toHaveLength(3);
    // @ts-expect-error a misspelt field is a type error too
    const bad: LayerSpec = { type: 'dense', wstd: 1 };
    expect(bad).toBeDefined();
  });
});
