import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesIn, runWide, tempDir } from './run-cli.js';

/** The text elements of an SVG, unescaped. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&'));

/** The titled axes of a vega SVG, e.g. "X: t = η·step". */
const axes = (svg: string) => [...svg.matchAll(/aria-roledescription="axis" aria-label="([XY])-axis titled '([^']*)'/g)].map((m) => `${m[1]}: ${m[2]}`);

/** Checks that every tag of `xml` is closed in order (a light well-formedness check). */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else if (!m[3]) stack.push(m[2]!);
  }
  return stack.length === 0;
}

describe('wide demo (reduced size)', () => {
  it('prints NNGP and NTK accuracies and the training dynamics, writes both figures, reports progress on stderr', () => {
    const dir = tempDir();
    const r = runWide(['demo', '--train', '400', '--test', '200', '--finite-train', '64', '--widths', '16,256', '--steps', '20', '--out-dir', dir]);
    expect(r.code).toBe(0);
    const acc = (name: string) => Number(new RegExp(`\\| ${name}\\s*\\|\\s*([\\d.]+) %`).exec(r.stdout)?.[1]);
    // 400 MNIST training images already give ~85–90 %; chance is 10 %.
    expect(acc('NNGP')).toBeGreaterThan(80);
    expect(acc('NTK')).toBeGreaterThan(80);
    expect(r.stderr).toMatch(/kernels train×train \(400×400\) done in/);
    expect(r.stderr).toMatch(/training width 256 on 64 images \(20 steps of η = [\d.]+\) done in/);
    expect(filesIn(dir)).toEqual(['wide-demo-ntk-spectrum.svg', 'wide-demo-training.svg']);
    const svg = readFileSync(join(dir, 'wide-demo-ntk-spectrum.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('NTK');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);

    // The dynamics table: steps 0, 1, 2, 5, 10, 20; the NTK prediction learns (64 images: well above chance by t = 20·η).
    const rows = [...r.stdout.matchAll(/^\| (\d+) \| ([\d.]+) \| ([\d.]+) % \| ([\d.]+) % \| ([\d.]+) % \|$/gm)];
    expect(rows.map((m) => Number(m[1]))).toEqual([0, 1, 2, 5, 10, 20]);
    expect(Number(rows[5]![3])).toBeGreaterThan(40);
    expect(r.stdout).toMatch(/\| step \| t \| NTK \| width 16 \| width 256 \|/);

    // The training-dynamics figure: well-formed, four panels with their axes, titles and legend.
    const training = readFileSync(join(dir, 'wide-demo-training.svg'), 'utf8');
    expect(training).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(balanced(training)).toBe(true);
    expect(axes(training)).toEqual(['X: t = η·step', 'Y: train loss', 'X: t = η·step', 'Y: test loss', 'X: t = η·step', 'Y: train accuracy (%)', 'X: t = η·step', 'Y: test accuracy (%)']);
    expect(training.match(/class="mark-line role-mark/g)?.length).toBe(20); // 4 panels × 5 lines: the NTK, each width as trained and from its f₀
    const t = texts(training);
    expect(t.find((s) => s.startsWith('Gradient descent on MNIST (64 train / 200 test images, 3-hidden-layer ReLU, η = '))).toBeDefined();
    for (const label of ['train loss', 'test loss', 'train accuracy (%)', 'test accuracy (%)', 't = η·step', 'NTK (infinite width, mean over initialisations)', 'width 16', 'width 256', 'as trained', 'NTK prediction from the same f₀', '0', '10', '100']) {
      expect(t).toContain(label);
    }
    expect(training).not.toMatch(/NaN|Infinity/);
  });

  it('--no-train skips the finite networks (and keeps --train), --no-spectrum the spectrum', () => {
    const dir = tempDir();
    const r = runWide(['demo', '--train', '100', '--test', '50', '--no-train', '--no-spectrum', '--out-dir', dir, '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ train: 100, test: 50, spectrumPath: null, dynamics: null });
    expect(filesIn(dir)).toEqual([]);
  });

  it('--help states the finite networks’ defaults', () => {
    const r = runWide(['demo', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--no-train\s+skip the finite networks/);
    expect(r.stdout).toMatch(/--finite-train <n>.*\(default: 256, or\s+--train if fewer\)/s);
    expect(r.stdout).toMatch(/--widths <w1,w2>.*\(default:\s+128,512\)/s);
    expect(r.stdout).toMatch(/--steps <s>.*\(default: 100\)/s);
  });

  it('rejects bad options with exit code 2 and writes nothing', () => {
    const dir = tempDir();
    for (const [args, message] of [
      [['--train', 'many'], /^wide: error: --train: expected an integer/],
      [['--train', '100', '--finite-train', '200'], /^wide: error: --finite-train: expected at most the --train images \(100\), got 200$/],
      [['--widths', '16,x'], /^wide: error: --widths: expected comma-separated integers ≥ 1, got "x"$/],
    ] as const) {
      const r = runWide(['demo', ...args, '--out-dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(existsSync(join(dir, 'wide-demo-ntk-spectrum.svg'))).toBe(false);
      expect(filesIn(dir)).toEqual([]);
    }
  });
});
