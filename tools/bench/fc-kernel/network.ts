/** The benchmark network: dense(√2, 0.1) [relu dense(√2, 0.1)] × 5, NTK parameterisation (numpy_baseline.py computes the same). */
export const W = Math.SQRT2;
export const B = 0.1;
export const DEPTH = 5;
export const arch = {
  layers: [{ type: 'dense', wStd: W, bStd: B }, ...Array.from({ length: DEPTH }, () => [{ type: 'relu' }, { type: 'dense', wStd: W, bStd: B }]).flat()],
};
