/**
 * Pack-and-install test: what a new user gets from npm.
 *
 * `pnpm pack` every publishable package (the dist/ folders are built first: nx runs this
 * package's `^build`), install the tarballs with npm into a fresh project in a temporary folder
 * outside the repository, and there, with plain `node` (no tsx, no `@wide/source` condition),
 * run every package's README example (examples/*.ts, type-stripped with `ts.transpileModule`),
 * type-check the same examples against the published `.d.ts` files, and run the `wide` bin.
 * A broken `exports`, a file missing from `files`, a `workspace:` range left in a published
 * package.json or a second copy of fast-check fails here.
 *
 * `WIDE_SKIP_PACK_TEST=1` skips it (no registry at hand); `WIDE_KEEP_PACK_TEST=1` keeps the folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '@wide/core';
import { kernel } from '@wide/layers';

const root = realpathSync(fileURLToPath(new URL('../../../', import.meta.url)));
const requireFromRoot = createRequire(join(root, 'package.json'));

/** Workspace folders whose package.json is not private: everything a user can install. */
function publishedPackages(): { dir: string; name: string; manifest: Record<string, unknown> }[] {
  const found = [];
  for (const group of ['packages', 'apps', 'tools']) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, entry, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (manifest['private'] !== true) found.push({ dir: join(root, group, entry), name: String(manifest['name']), manifest });
    }
  }
  return found;
}
const packages = publishedPackages();

/** What each README example must print (besides exiting with 0). */
const expectedOutput: Record<string, (out: string) => void> = {
  'core-tour': (out) => expect(out).toContain('split 0.304498890522, closed form 0.304498890522'),
  'architecture-json': (out) => expect(out).toMatch(/Monte-Carlo Θ at width 1024: \[/),
  'mnist-npy': (out) => {
    expect(out).toContain('x: [ 100, 784 ]');
    expect(out).toContain('read back f8 [ 100, 784 ] targets 200');
  },
  regression: (out) => expect(Number(/test accuracy ([\d.]+) %/.exec(out)?.[1])).toBeGreaterThan(80),
  property: (out) => {
    expect(out).toContain('PSD property held for 25 random architectures');
    expect(Number(/relative error ([\d.e+-]+)/.exec(out)?.[1])).toBeLessThan(4 / Math.sqrt(2048));
  },
};

/** The environment of a user's shell: nothing that pnpm, nx or vitest set for this process. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|NX_|VITEST|TSX_)/.test(k) || ['NODE_OPTIONS', 'NODE_PATH', 'NODE_ENV', 'INIT_CWD', 'TEST'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0' };
}
const env = userEnv();

interface Ran { stdout: string; stderr: string; seconds: number }
function run(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Ran {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit code ${r.status}${r.signal ? ` (${r.signal})` : ''}`;
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed: ${why}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return { stdout: r.stdout, stderr: r.stderr, seconds };
}

/** The lowest version a range like `^4.0.0` or `>=4.2.0 <5` admits: what the oldest supported user setup has. */
function lowerBound(range: string): string {
  const m = /(\d+\.\d+\.\d+)/.exec(range);
  if (!m) throw new Error(`cannot read a lower bound from the range "${range}"`);
  return m[1]!;
}

/** A C-order float64 .npy file. */
function npyFloat64(values: readonly number[], shape: readonly number[]): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(new Float64Array(values).buffer)]);
}

const skip = process.env['WIDE_SKIP_PACK_TEST'] === '1';
const timings: string[] = [];
let project = '';
const examples: { pkg: string; name: string; mjs: string }[] = [];
const testingPeer = (packages.find((p) => p.name === '@wide/testing')?.manifest['peerDependencies'] as Record<string, string> | undefined)?.['fast-check'];

describe.skipIf(skip)('pack, npm install in a fresh project, run as a user', () => {
  beforeAll(() => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'wide-pack-')));
    const tarballs = join(project, 'tarballs');
    mkdirSync(tarballs);

    // pnpm pack replaces workspace: ranges with versions, as `pnpm publish` does.
    const filters = packages.flatMap((p) => ['--filter', `./${relative(root, p.dir)}`]);
    const pack = run('pnpm', ['-r', ...filters, 'pack', '--pack-destination', tarballs], root);
    timings.push(`pnpm pack ×${packages.length}: ${pack.seconds.toFixed(1)} s`);
    const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).sort();
    expect(files.length).toBe(packages.length);

    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'wide-user', version: '1.0.0', private: true, type: 'module' }, null, 2) + '\n');
    // A TypeScript user also has @types/node; fast-check at the lowest version @wide/testing's peer range admits.
    const typesNode = (requireFromRoot('@types/node/package.json') as { version: string }).version;
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files.map((f) => `./tarballs/${f}`), `fast-check@${lowerBound(testingPeer ?? '')}`, `@types/node@${typesNode}`], project, 540_000);
    timings.push(`npm install: ${install.seconds.toFixed(1)} s`);

    // The README examples, as a user would save them: type-stripped .mjs for node, .ts for tsc.
    for (const p of packages) {
      const dir = join(p.dir, 'examples');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
        const source = readFileSync(join(dir, file), 'utf8');
        const short = basename(p.dir);
        const name = file.replace(/\.ts$/, '');
        mkdirSync(join(project, 'examples', short), { recursive: true });
        const js = ts.transpileModule(source, { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
        const mjs = join(project, 'examples', short, `${name}.mjs`);
        writeFileSync(mjs, js);
        writeFileSync(join(project, 'examples', short, file), source);
        examples.push({ pkg: p.name, name, mjs });
      }
    }
  }, 600_000);

  afterAll(() => {
    console.log(`pack test in ${project}: ${timings.join('; ')}`);
    if (project && process.env['WIDE_KEEP_PACK_TEST'] !== '1') rmSync(project, { recursive: true, force: true });
  });

  it('packs every publishable package, and only those', () => {
    expect(packages.map((p) => p.name).sort()).toEqual(['@wide/cli', '@wide/core', '@wide/data', '@wide/layers', '@wide/reproductions', '@wide/rmt', '@wide/solver', '@wide/testing']);
    expect(relative(root, project).startsWith('..')).toBe(true);
  });

  for (const p of packages) {
    it(`${p.name}: the installed package.json has no workspace: range, every exports/bin target exists, no tests shipped`, () => {
      const dir = join(project, 'node_modules', ...p.name.split('/'));
      const text = readFileSync(join(dir, 'package.json'), 'utf8');
      expect(text).not.toContain('workspace:');
      const manifest = JSON.parse(text) as { exports?: unknown; bin?: Record<string, string> | string };
      const targets: string[] = [];
      const collect = (v: unknown): void => {
        if (typeof v === 'string') targets.push(v);
        else if (v && typeof v === 'object') Object.values(v).forEach(collect);
      };
      collect(manifest.exports);
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) expect(existsSync(join(dir, target)), `${p.name}: exports target ${target}`).toBe(true);
      const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
      for (const bin of bins) expect(readFileSync(join(dir, bin), 'utf8').startsWith('#!/usr/bin/env node\n'), `${p.name}: bin ${bin} starts with a node shebang`).toBe(true);
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
      for (const junk of ['test', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts', 'node_modules']) expect(existsSync(join(dir, junk)), `${p.name} ships ${junk}`).toBe(false);
    });

    it(`${p.name}: loads with plain node (default conditions)`, () => {
      const out = run(process.execPath, ['--input-type=module', '-e', `const m = await import('${p.name}'); console.log(Object.keys(m).length)`], project).stdout;
      expect(Number(out.trim())).toBeGreaterThan(0);
    });
  }

  it('@wide/testing and the user share one fast-check (a peer dependency)', () => {
    expect(testingPeer).toBeDefined();
    expect(existsSync(join(project, 'node_modules', '@wide', 'testing', 'node_modules', 'fast-check'))).toBe(false);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'fast-check', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(lowerBound(testingPeer!));
  });

  it('every README example runs with plain node', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const ex of examples) {
      const r = run(process.execPath, [ex.mjs], project);
      timings.push(`${ex.name}: ${r.seconds.toFixed(1)} s`);
      try {
        expectedOutput[ex.name]?.(r.stdout);
      } catch (e) {
        throw new Error(`${ex.pkg} example ${ex.name} printed:\n${r.stdout}\n${r.stderr}\n${(e as Error).message}`);
      }
    }
  }, 300_000);

  it('the examples type-check against the published .d.ts files (NodeNext, strict, skipLibCheck off)', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false }, include: ['examples/**/*.ts'] }, null, 2),
    );
    const tsc = requireFromRoot.resolve('typescript/bin/tsc');
    const r = run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    timings.push(`tsc: ${r.seconds.toFixed(1)} s`);
  }, 300_000);

  it('node_modules/.bin/wide kernel writes the kernels of the API', () => {
    const values = [0.3, -1.2, 0.5, 2, 1.1, 0.4, -0.7, 0.2, -0.5, 0.9, 1.5, -0.3];
    writeFileSync(join(project, 'x.npy'), npyFloat64(values, [3, 4]));
    const arch = { layers: [{ type: 'dense', wStd: 1.5, bStd: 0.05 }, { type: 'relu' }, { type: 'dense', wStd: 1.5 }] };
    writeFileSync(join(project, 'arch.json'), JSON.stringify(arch));
    const r = run(join(project, 'node_modules', '.bin', 'wide'), ['kernel', '--arch', 'arch.json', '--x1', 'x.npy', '--out', 'k.json', '--quiet'], project);
    timings.push(`wide kernel: ${r.seconds.toFixed(2)} s`);
    const got = JSON.parse(readFileSync(join(project, 'k.json'), 'utf8')) as { nngp: number[][]; ntk: number[][] };
    const want = kernel(arch, tensor(values, [3, 4]));
    for (const [key, matrix] of [['nngp', want.nngp], ['ntk', want.ntk!]] as const) {
      expect(got[key].length).toBe(3);
      got[key].flat().forEach((v, i) => expect(Math.abs(v - matrix[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(matrix[i]!)));
    }
  });

  it('node_modules/.bin/wide demo runs (reduced) from the installed packages', () => {
    const out = join(project, 'demo-out');
    mkdirSync(out);
    const r = run(join(project, 'node_modules', '.bin', 'wide'), ['demo', '--train', '300', '--test', '200', '--out-dir', out, '--quiet'], project);
    timings.push(`wide demo: ${r.seconds.toFixed(1)} s`);
    expect(r.stdout).toMatch(/NTK/);
    expect(r.stdout).toMatch(/NNGP/);
  }, 300_000);
});
