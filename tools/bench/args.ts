/**
 * The command line every benchmark reads: `--name value` options, `--quick` (the short CI run),
 * and the folder of the benchmark's own files (its NumPy peer, its results).
 * @module
 */
import { fileURLToPath } from 'node:url';

/** The benchmark's folder (from its `import.meta.url`) and its arguments. */
export function benchArgs(moduleUrl: string): { here: string; args: string[]; opt: (name: string, fallback: string) => string; quick: boolean } {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : fallback;
  };
  return { here: fileURLToPath(new URL('.', moduleUrl)), args, opt, quick: args.includes('--quick') };
}
