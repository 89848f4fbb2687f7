import { describe, expect, it } from 'vitest';
import { InvalidArchitectureError, NonFiniteInputError, NonGaussianInputError, ShapeMismatchError, WideError, tensor } from '@wide/core';
import { fromArchitecture, kernel, parseArchitecture } from '../src/index.js';

const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);

function errorOf(f: () => unknown): WideError {
  try {
    f();
  } catch (e) {
    if (e instanceof WideError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('architecture validation names the offending path', () => {
  it.each([
    [{ layers: [{ type: 'dense' }, { type: 'rleu' }] }, 'layers[1].type', /unknown layer type "rleu"/],
    [{ layers: [{ type: 'dense', wstd: 1 }] }, 'layers[0].wstd', /unknown field for "dense"/],
    [{ layers: [{ type: 'dense', wStd: -1 }] }, 'layers[0].wStd', /expected a number ≥ 0, got -1/],
    [{ layers: [{ type: 'dense', width: 2.5 }] }, 'layers[0].width', /expected an integer ≥ 1/],
    [{ layers: [{ type: 'dense', bStd: 'big' }] }, 'layers[0].bStd', /got "big"/],
    [{ layers: [{ type: 'residual', layers: [{ type: 'dense', bStd: -0.1 }] }] }, 'layers[0].layers[0].bStd', /≥ 0/],
    [{ layers: [{ type: 'parallel', branches: [[{ type: 'relu', alpha: 1 }]] }] }, 'layers[0].branches[0][0].alpha', /takes no fields/],
    [{ layers: [{ type: 'monomial', degree: 6 }] }, 'layers[0].degree', /≤ 5/],
    [{ layers: [{ type: 'monomial' }] }, 'layers[0].degree', /required field is missing/],
    [{ layers: [{ type: 'elementwise', fn: 'cosh' }] }, 'layers[0].fn', /unknown function "cosh"/],
    [{ layers: [{ type: 'attention' }] }, 'layers[0].type', /not implemented yet/],
    [{ layers: [{ type: 'conv', channels: 3 }] }, 'layers[0].filter', /required field is missing/],
    [{ layers: [{ type: 'conv', filter: [3, 0] }] }, 'layers[0].filter[1]', /expected an integer ≥ 1, got 0/],
    [{ layers: [{ type: 'conv', filter: [3, 3], stride: [1, 0] }] }, 'layers[0].stride[1]', /expected an integer ≥ 1, got 0/],
    [{ layers: [{ type: 'conv', filter: [3, 3], dilation: [1.5, 1] }] }, 'layers[0].dilation[0]', /expected an integer ≥ 1, got 1.5/],
    [{ layers: [{ type: 'conv', filter: [3, 3], stride: [2] }] }, 'layers[0].stride', /expected 2 integers ≥ 1 \(one per axis of filter \[3, 3\]\), got \[2\]/],
    [{ layers: [{ type: 'conv', filter: [] }] }, 'layers[0].filter', /expected a non-empty array of integers ≥ 1, got \[\]/],
    [{ layers: [{ type: 'conv', filter: [3], channels: 0 }] }, 'layers[0].channels', /expected an integer ≥ 1, got 0/],
    [{ layers: [{ type: 'conv', filter: [3], padding: 'same' }] }, 'layers[0].padding', /expected one of "SAME", "VALID", "CIRCULAR", got "same"/],
    [{ layers: [{ type: 'avgPool', window: [2, 0] }] }, 'layers[0].window[1]', /expected an integer ≥ 1, got 0/],
    [{ layers: [{ type: 'avgPool', window: [2, 2], stride: [0, 2] }] }, 'layers[0].stride[0]', /expected an integer ≥ 1, got 0/],
    [{ layers: [{ type: 'sumPool', window: [2, 2], stride: [1, 1, 1] }] }, 'layers[0].stride', /expected 2 integers ≥ 1 \(one per axis of window \[2, 2\]\)/],
    [{ layers: [{ type: 'globalAvgPool', window: [2] }] }, 'layers[0].window', /unknown field for "globalAvgPool" \(it takes no fields\)/],
    [{ layers: [{ type: 'dense', trainable: 'no' }] }, 'layers[0].trainable', /expected true or false, got "no"/],
    [{ layers: [], parametrization: 'ntk' }, 'parametrization', /unknown top-level field/],
    [{ layers: [], parameterization: 'mup' }, 'parameterization', /expected "ntk" or "standard"/],
    [{ layer: [] }, 'layer', /unknown top-level field/],
    [{}, 'layers', /required/],
  ] as const)('%j → %s', (spec, path, message) => {
    const e = errorOf(() => fromArchitecture(spec));
    expect(e).toBeInstanceOf(InvalidArchitectureError);
    expect((e as InvalidArchitectureError).path).toBe(path);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
  });

  it('reports JSON syntax errors', () => {
    expect(() => parseArchitecture('{"layers": [')).toThrow(/not valid JSON/);
  });
});

describe('bad inputs and compositions give typed errors', () => {
  it('NaN or Infinity in data', () => {
    const bad = tensor([1, NaN, 3, 4, 5, 6], [2, 3]);
    expect(() => kernel({ layers: [{ type: 'dense' }] }, bad)).toThrow(NonFiniteInputError);
    expect(() => kernel({ layers: [{ type: 'dense' }] }, x, tensor([1, 2, Infinity], [1, 3]))).toThrow(/x2 holds Infinity at index \[0, 2\]/);
  });

  it('shape mismatch between x1 and x2, and data of the wrong size', () => {
    expect(() => kernel({ layers: [{ type: 'dense' }] }, x, tensor([1, 2], [1, 2]))).toThrow(ShapeMismatchError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 elements but shape \[2, 2\] needs 4/);
  });

  it('a nonlinearity after a non-Gaussian layer', () => {
    expect(() => kernel({ layers: [{ type: 'dense' }, { type: 'relu' }, { type: 'erf' }] }, x)).toThrow(NonGaussianInputError);
    expect(() =>
      kernel({ layers: [{ type: 'fanOut', n: 2 }, { type: 'parallel', branches: [[{ type: 'dense' }], [{ type: 'dense' }]] }, { type: 'fanInProd' }, { type: 'relu' }] }, x),
    ).toThrow(/relu needs a Gaussian input/);
    const img = tensor(new Float64Array(2 * 2 * 2 * 3).fill(1), [2, 2, 2, 3]);
    expect(() => kernel({ layers: [{ type: 'dense' }, { type: 'flatten' }, { type: 'relu' }] }, img)).toThrow(NonGaussianInputError);
    // The input itself is Gaussian-compatible (a dense layer is not required first, as in neural-tangents).
    expect(() => kernel({ layers: [{ type: 'relu' }] }, x)).not.toThrow();
  });

  it('branch mismatches', () => {
    expect(() => kernel({ layers: [{ type: 'fanOut', n: 2 }, { type: 'parallel', branches: [[]] }] }, x)).toThrow(/parallel has 1 branches but got 2 inputs/);
    expect(() => kernel({ layers: [{ type: 'fanOut', n: 2 }] }, x)).toThrow(/the network output takes one input but got 2 branches/);
    expect(() => kernel({ layers: [{ type: 'fanInSum' }] }, x)).toThrow(/takes a list of branches/);
  });
});
