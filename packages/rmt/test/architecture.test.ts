// The architecture JSON → dense stack used by the random-matrix formulas (and the CLI's
// `wide spectrum` / `wide gmm-coeffs`): widths, wStd folded into the activations, the read-out,
// and errors that name the JSON path.
import { InvalidArchitectureError } from '@wide/core';
import { erf, relu, sign } from '@wide/layers';
import { describe, expect, it } from 'vitest';
import { activationConstants, activationFromLayer, activations, guCoefficients, networkFromArchitecture } from '../src/index.js';

describe('networkFromArchitecture', () => {
  it('reads widths, folds wStd into the activation and takes the last dense layer as the read-out', () => {
    const net = networkFromArchitecture({
      layers: [
        { type: 'dense', width: 512, wStd: 2 },
        { type: 'relu' },
        { type: 'repeat', n: 2, layers: [{ type: 'dense', width: 256 }, { type: 'erf' }] },
        { type: 'dense', width: 10, wStd: 1.5 },
      ],
    });
    expect(net.widths).toEqual([512, 256, 256]);
    expect(net.readout).toEqual({ outputs: 10, wStd: 1.5 });
    expect(net.parameterization).toBe('ntk');
    expect(net.activations[0]!.fn(1.5)).toBe(3); // relu(2·1.5)
    expect(net.activations[0]!.kinks).toEqual([0]);
    expect(net.activations[1]!.fn(0.3)).toBeCloseTo(erf().fn(0.3), 15);
    const noReadout = networkFromArchitecture({ layers: [{ type: 'dense', width: 8 }, { type: 'sign' }] });
    expect(noReadout.readout).toBeNull();
    expect(noReadout.activations[0]!.jumps).toEqual([0]);
  });

  it('activations from Wide layers give the same constants as the named ones', () => {
    const fromLayer = activationConstants(activationFromLayer(relu()));
    const named = activationConstants(activations.relu());
    expect(fromLayer.b).toBeCloseTo(named.b, 15);
    expect(fromLayer.a).toBeCloseTo(named.a, 15);
    expect(activationConstants(activationFromLayer(sign())).a).toBeNaN();
    const c = guCoefficients(networkFromArchitecture({ layers: [{ type: 'dense', width: 4 }, { type: 'relu' }, { type: 'dense', width: 4 }, { type: 'relu' }] }).activations, 1);
    expect(c.alpha1[1]).toBeCloseTo(1 / 16, 14);
  });

  it('errors name the path', () => {
    const bad = (layers: unknown[]) => () => networkFromArchitecture({ layers });
    expect(bad([{ type: 'dense', width: 8, bStd: 0.1 }, { type: 'relu' }])).toThrow('layers[0].bStd: the random-matrix limits need bias-free dense layers (bStd = 0), got 0.1');
    expect(bad([{ type: 'dense', width: 8 }, { type: 'relu' }, { type: 'relu' }])).toThrow('layers[2]: expected a dense layer before relu');
    expect(bad([{ type: 'dense', width: 8 }, { type: 'dense', width: 8 }, { type: 'relu' }])).toThrow('layers[1]: two dense layers in a row');
    expect(bad([{ type: 'dense', width: 8 }, { type: 'flatten' }])).toThrow('layers[1].type: flatten is not an elementwise activation');
    expect(bad([{ type: 'dense', width: -1 }])).toThrow(InvalidArchitectureError);
    expect(bad([{ type: 'dense', width: 8 }])).toThrow('layers: expected at least one dense layer followed by an activation');
  });
});
