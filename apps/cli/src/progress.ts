/**
 * Progress on stderr for every long command: on a TTY a cli-progress bar with rate and ETA per
 * stage; otherwise one plain line per finished stage (`kernel 3×3 done in 0.1 s`); nothing with
 * `quiet`. cli-progress is loaded only when a bar is drawn.
 * @module
 */
import { createRequire } from 'node:module';
import type { SingleBar } from 'cli-progress';

/** A progress reporter for a sequence of stages. */
export interface Progress {
  /** Ends the current stage and starts the next; the returned function reports `done` of `total` (default 1) `unit`s. */
  stage(label: string, unit?: string): (done: number, total?: number) => void;
  /** Ends the current stage. */
  end(): void;
}

let drawn: SingleBar | null = null;

/** Stops a bar still drawn (the CLI calls this on an error, before printing the error line). */
export function stopProgress(): void {
  drawn?.stop();
  drawn = null;
}

/** Makes a progress reporter writing to `stream` (default stderr). */
export function makeProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  type Stage = { label: string; start: number; bar: SingleBar | null };
  let current: Stage | null = null;
  const end = () => {
    if (!current) return;
    if (current.bar === drawn) stopProgress();
    if (!options.quiet) stream.write(`${current.label} done in ${((performance.now() - current.start) / 1000).toFixed(1)} s\n`);
    current = null;
  };
  return {
    stage(label, unit = 'steps') {
      end();
      const s: Stage = (current = { label, start: performance.now(), bar: null });
      return (done, total = 1) => {
        if (options.quiet || !stream.isTTY || current !== s) return;
        if (!s.bar) {
          const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
          // linewrap: true truncates to the terminal width rather than turning autowrap off (safe on Ctrl-C).
          const format = `${label} [{bar}] {percentage}% | ETA {eta_formatted} | {rate} ${unit}/s`;
          drawn = new SingleBar({ stream, format, barsize: 20, clearOnComplete: true, linewrap: true, etaBuffer: 20 });
          drawn.start(total, 0, { rate: '0' });
          s.bar = drawn;
        }
        s.bar.setTotal(total);
        s.bar.update(done, { rate: (done / Math.max(1e-9, (performance.now() - s.start) / 1000)).toPrecision(3) });
      };
    },
    end,
  };
}
