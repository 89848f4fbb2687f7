#!/usr/bin/env node
/**
 * `pnpm bench:startup`: whole-process wall time of `wide kernel` on a 3×4 float64 .npy (a 3×3 NNGP
 * and NTK of dense(1.5, 0.05) → relu → dense(1.5)), started the documented ways — the
 * `node_modules/.bin/wide` bin, `pnpm -s wide …`, `npx -y pnpm@10.34.8 -s wide …` — next to
 * `node apps/cli/dist/main.js` itself, Node's and Python's bare start-up, and a NumPy peer
 * (`python3 -c` importing NumPy and computing the same two kernels; its result is compared with
 * wide's). Rounds are interleaved (every command once per round, after one warm-up round); each
 * figure is the median of the rounds. Then the time of `import()` of each package the CLI uses,
 * each in a fresh process. Target: the bin ≤ 250 ms.
 *
 * Needs the build (`pnpm build`, or the install step). Options: --runs 10, --no-write (print
 * only; otherwise writes results.md next to this file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('runs', '10'));
const write = !args.includes('--no-write');
const BUDGET_MS = 250;

/** A user's shell environment: nothing that pnpm set for this script. */
const env = { FORCE_COLOR: '0' };
for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|pnpm_|PNPM_|NODE_OPTIONS$|INIT_CWD$)/.test(k)) env[k] = v;

/** A C-order float64 .npy file. */
function npyFloat64(values, shape) {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(new Float64Array(values).buffer)]);
}

const tmp = mkdtempSync(join(tmpdir(), 'wide-startup-'));
const x = join(tmp, 'x.npy');
const arch = join(tmp, 'arch.json');
writeFileSync(x, npyFloat64([0.3, -1.2, 0.5, 2, 1.1, 0.4, -0.7, 0.2, -0.5, 0.9, 1.5, -0.3], [3, 4]));
const archJson = JSON.stringify({ layers: [{ type: 'dense', wStd: 1.5, bStd: 0.05 }, { type: 'relu' }, { type: 'dense', wStd: 1.5 }] });
writeFileSync(arch, archJson);
const kernel = (tag) => ['kernel', '--arch', arch, '--x1', x, '--out', join(tmp, `k-${tag}.json`)];

// The same two kernels in NumPy (NTK parameterisation; arc-cosine closed forms for relu).
const peer = `
import json, sys
import numpy as np
x = np.load(sys.argv[1]); n, d = x.shape
s = 1.5**2 * (x @ x.T) / d + 0.05**2
t = s.copy()
q = np.sqrt(np.diag(s)); qq = np.outer(q, q)
rho = np.clip(s / qq, -1.0, 1.0); np.fill_diagonal(rho, 1.0)
th = np.arccos(rho)
s_relu = qq * (np.sin(th) + (np.pi - th) * rho) / (2 * np.pi)
t_relu = t * (np.pi - th) / (2 * np.pi)
s2 = 1.5**2 * s_relu
t2 = s2 + 1.5**2 * t_relu
json.dump({"nngp": s2.tolist(), "ntk": t2.tolist()}, open(sys.argv[2], "w"))
`;

// The interpreter itself, not a version manager's shim (pyenv's `python3` is a bash script).
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { env, encoding: 'utf8' }).stdout.trim() || 'python3';

const commands = [
  { key: 'node', label: '`node -e 0` (Node start-up alone)', cmd: process.execPath, args: ['-e', '0'] },
  { key: 'dist', label: '`node apps/cli/dist/main.js kernel …`', cmd: process.execPath, args: [join(root, 'apps/cli/dist/main.js'), ...kernel('dist')] },
  { key: 'help', label: '`node_modules/.bin/wide help`', cmd: join(root, 'node_modules/.bin/wide'), args: ['help'] },
  { key: 'bin', label: '**`node_modules/.bin/wide kernel …`**', cmd: join(root, 'node_modules/.bin/wide'), args: kernel('bin') },
  { key: 'pnpm', label: '`pnpm -s wide kernel …`', cmd: 'pnpm', args: ['-s', 'wide', ...kernel('pnpm')] },
  { key: 'pnpmNode', label: '`pnpm -s exec node -e 0` (pnpm\'s own start-up + Node)', cmd: 'pnpm', args: ['-s', 'exec', 'node', '-e', '0'] },
  { key: 'tsx', label: '`node --import tsx apps/cli/src/main.ts kernel …` (the sources through tsx: the old `pnpm -s wide`, less pnpm)', cmd: process.execPath, args: ['--conditions=@wide/source', '--import', 'tsx', join(root, 'apps/cli/src/main.ts'), ...kernel('tsx')] },
  { key: 'npx', label: '`npx -y pnpm@10.34.8 -s wide kernel …`', cmd: 'npx', args: ['-y', 'pnpm@10.34.8', '-s', 'wide', ...kernel('npx')] },
  { key: 'python', label: '`python3 -c "import numpy"` (Python + NumPy start-up)', cmd: python, args: ['-c', 'import numpy'] },
  { key: 'numpy', label: '**NumPy peer** (`python3 -c`, same kernels)', cmd: python, args: ['-c', peer, x, join(tmp, 'k-numpy.json')] },
];

function time(c) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { cwd: root, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error || r.status !== 0) throw new Error(`${c.label} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  return ms;
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs `code` (an ES module) in a fresh Node process started in apps/cli, 5 times; its stdout is JSON. */
function inCli(code) {
  const v = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: join(root, 'apps/cli'), env, encoding: 'utf8' });
    if (r.status !== 0) return null;
    v.push(JSON.parse(r.stdout));
  }
  return v;
}
/** Time of `await import(spec)` alone in a fresh process (median of 5; the module with its dependencies). */
function importAlone(spec) {
  const v = inCli(`const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(JSON.stringify(performance.now() - t));`);
  return v ? median(v) : NaN;
}
/**
 * The packages `wide kernel` loads (cli-progress only on a terminal, vega only for figures),
 * imported one after the other in one process (each figure is what that import adds to the ones
 * before it; median of 5), then the rest of the CLI (dist/cli.js: its own modules) and the
 * command itself (`main([kernel …])`: reading, computing, writing).
 */
function importChain(kernelArgs, warmUrl) {
  // valibot is @wide/layers' dependency, not the CLI's: import it by the URL @wide/layers resolves it to.
  const valibot = spawnSync(process.execPath, ['--input-type=module', '-e', "process.stdout.write(import.meta.resolve('valibot'))"], { cwd: join(root, 'packages/layers'), env, encoding: 'utf8' }).stdout;
  const steps = [['(a one-line module: the first import\'s own overhead)', warmUrl], ['commander', 'commander'], ['@wide/core', '@wide/core'], ...(valibot ? [['valibot', valibot]] : []), ['@wide/layers', '@wide/layers'], ['@wide/data', '@wide/data'], ['./dist/cli.js', pathToFileURL(join(root, 'apps/cli/dist/cli.js')).href]];
  const code = `const steps = ${JSON.stringify(steps)}; const out = {}; let cli;
for (const [name, spec] of steps) { const t = performance.now(); cli = await import(spec); out[name] = performance.now() - t; }
const t = performance.now(); const code = await cli.main(${JSON.stringify(kernelArgs)}); out['main(kernel …)'] = performance.now() - t;
out['process start → main() done'] = performance.now();
if (code !== 0) process.exit(code);
process.stdout.write(JSON.stringify(out));`;
  const v = inCli(code);
  if (!v) return null;
  return Object.keys(v[0]).map((k) => ({ step: k, ms: median(v.map((o) => o[k])) }));
}

const times = new Map(commands.map((c) => [c.key, []]));
let maxDiff = 0;
try {
  for (const c of commands) time(c); // warm-up: disk cache, npx cache
  for (let r = 0; r < runs; r++) for (const c of commands) times.get(c.key).push(time(c));
  const want = JSON.parse(readFileSync(join(tmp, 'k-numpy.json'), 'utf8'));
  for (const tag of ['dist', 'bin', 'pnpm', 'tsx', 'npx']) {
    const got = JSON.parse(readFileSync(join(tmp, `k-${tag}.json`), 'utf8'));
    for (const key of ['nngp', 'ntk']) got[key].flat().forEach((v, i) => { const w = want[key].flat()[i]; maxDiff = Math.max(maxDiff, Math.abs(v - w) / Math.abs(w)); });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const imports = ['commander', '@wide/core', '@wide/layers', '@wide/data', '@wide/solver', 'cli-progress', 'vega', 'vega-lite', '@resvg/resvg-js'].map((spec) => ({ spec, ms: importAlone(spec) }));
const tmp2 = mkdtempSync(join(tmpdir(), 'wide-startup-'));
let chain;
try {
  writeFileSync(join(tmp2, 'x.npy'), npyFloat64([0.3, -1.2, 0.5, 2, 1.1, 0.4, -0.7, 0.2, -0.5, 0.9, 1.5, -0.3], [3, 4]));
  writeFileSync(join(tmp2, 'arch.json'), archJson);
  writeFileSync(join(tmp2, 'warm.mjs'), 'export default 1;\n');
  chain = importChain(['kernel', '--arch', join(tmp2, 'arch.json'), '--x1', join(tmp2, 'x.npy'), '--out', join(tmp2, 'k.json'), '--quiet'], pathToFileURL(join(tmp2, 'warm.mjs')).href);
} finally {
  rmSync(tmp2, { recursive: true, force: true });
}

const med = (key) => median(times.get(key));
const numpy = med('numpy');
const version = (cmd, a) => spawnSync(cmd, a, { env, encoding: 'utf8' }).stdout.trim();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)}), Node ${process.version}, pnpm ${version('pnpm', ['--version'])}, ${version(python, ['--version'])}, NumPy ${version(python, ['-c', 'import numpy; print(numpy.__version__)'])}`;
const bin = med('bin');
const lines = [
  `Start-up: \`wide kernel\` on a 3×4 .npy (3×3 NNGP + NTK), whole process, median of ${runs} interleaved rounds — ${machine}; measured ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| command | median (ms) | min (ms) | / NumPy peer |',
  '|---|---|---|---|',
  ...commands.map((c) => `| ${c.label} | ${med(c.key).toFixed(0)} | ${Math.min(...times.get(c.key)).toFixed(0)} | ${(med(c.key) / numpy).toFixed(2)} |`),
  '',
  `Target: the bin ≤ ${BUDGET_MS} ms — ${bin <= BUDGET_MS ? 'met' : '**over budget**'} (${bin.toFixed(0)} ms). ` +
    `\`pnpm -s wide\` adds ${(med('pnpm') - bin).toFixed(0)} ms to the bin (pnpm\'s own start-up: \`pnpm -s exec node -e 0\` − \`node -e 0\` = ${(med('pnpmNode') - med('node')).toFixed(0)} ms); going through node_modules/.bin/wide (pnpm's link, \`#!/usr/bin/env node\`, apps/cli/bin/wide.js) adds ${(bin - med('dist')).toFixed(0)} ms to \`node apps/cli/dist/main.js\`. ` +
    `Largest relative difference between wide's and NumPy's kernels: ${maxDiff.toExponential(1)}.`,
  '',
  'Where the time goes, in one Node process started in apps/cli (median of 5): the packages `wide kernel` loads, imported one after the other (each figure is what it adds to the ones before; cli-progress is only loaded on a terminal), then the CLI\'s own modules, the command itself, and the time from process start:',
  '',
  '| step | ms |',
  '|---|---|',
  ...(chain ?? []).map((c) => `| ${/^(process|main|\()/.test(c.step) ? c.step : `\`import('${c.step}')\``} | ${c.ms.toFixed(1)} |`),
  '',
  'Each module alone, in a fresh process (with its own dependencies; vega and vega-lite are only loaded by `wide demo`\'s figure):',
  '',
  '| module | import alone (ms) |',
  '|---|---|',
  ...imports.map((i) => `| \`${i.spec}\` | ${Number.isNaN(i.ms) ? 'not installed' : i.ms.toFixed(1)} |`),
];
const table = lines.join('\n');
process.stdout.write(table + '\n');
const preface = [
  '# Start-up of `wide`',
  '',
  'Written by `pnpm bench:startup` (tools/bench/startup/bench.mjs; `--runs N`, `--no-write`). Whole-process wall time of each command, measured from a Node parent with `spawnSync`; the NumPy rows run the interpreter itself (`sys.executable`, not a pyenv shim). This VM is shared and noisy: compare rows of the same run, not runs.',
  '',
].join('\n');
if (write) writeFileSync(join(here, 'results.md'), preface + '\n' + table + '\n');
