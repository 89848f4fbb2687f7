/**
 * Progress on stderr: a redrawn bar on a TTY; otherwise one line per finished stage (and
 * nothing at all with `quiet`).
 * @module
 */

/** A progress reporter for a sequence of stages. */
export interface Progress {
  /** Starts a stage; the returned function takes the fraction done (0…1). */
  stage(label: string): (fraction: number) => void;
  /** Ends the current stage. */
  end(): void;
}

/** Makes a progress reporter writing to `stream` (default stderr). */
export function makeProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && !options.quiet;
  let label = '';
  let start = 0;
  let open = false;
  const finish = () => {
    if (!open) return;
    open = false;
    const secs = ((performance.now() - start) / 1000).toFixed(1);
    if (options.quiet) return;
    stream.write(tty ? `\r\x1b[2K${label} done in ${secs} s\n` : `${label} done in ${secs} s\n`);
  };
  return {
    stage(l) {
      finish();
      label = l;
      start = performance.now();
      open = true;
      let last = -1;
      return (fraction) => {
        if (!tty) return;
        const frac = Math.min(1, Math.max(0, fraction));
        const pct = Math.floor(frac * 100);
        if (pct === last) return;
        last = pct;
        const width = 30;
        const filled = Math.round(frac * width);
        stream.write(`\r\x1b[2K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`);
      };
    },
    end: finish,
  };
}
