/**
 * The `arora` preset: the architecture JSON whose NTK is the CNTK of Arora et al. 2019, and its
 * kernel on two small images (the tiny test case of seed-001-cntk.md §5.1, whose values the
 * authors' convention gives as 93.29430776 for CNTK-V and 0.2609169932 for CNTK-GAP at depth 3).
 * Run: node --conditions=@wide/source --import tsx examples/arora-preset.ts
 */
import { tensor } from '@wide/core';
import { kernel } from '@wide/layers';
import { aroraArchitecture } from '@wide/reproductions';

// Two 6×6 images with 3 channels (NHWC), the test case's formula.
const image = (phi: number) => {
  const x: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let c = 0; c < 3; c++) x.push(Math.sin(1 + phi + 0.9 * c + 0.7 * i + 1.3 * j) + 0.5 * Math.cos(0.3 * phi + 1.7 * i * j + c));
  return x;
};
const a = tensor(image(0), [1, 6, 6, 3]);
const b = tensor(image(0.8), [1, 6, 6, 3]);

const vanilla = aroraArchitecture({ depth: 3, variant: 'vanilla', imageShape: [6, 6], inputChannels: 3 });
console.log(vanilla.layers.map((l) => l.type).join(' → '));
for (const variant of ['vanilla', 'gap'] as const) {
  const spec = aroraArchitecture({ depth: 3, variant, imageShape: [6, 6], inputChannels: 3 });
  console.log(`CNTK-${variant === 'gap' ? 'GAP' : 'V'} depth 3: K(a, b) = ${kernel(spec, a, b).ntk![0]!.toFixed(8)}`);
}
