/**
 * How the reproduction reports progress: the shape of the `wide` CLI's progress module
 * (apps/cli/src/progress.ts), so the CLI passes its reporter straight in; {@link silentProgress}
 * for library use.
 * @module
 */

/** A progress reporter for a sequence of stages. */
export interface ProgressReporter {
  /** Ends the current stage and starts the next; the returned function reports `done` of `total` `unit`s. */
  stage(label: string, unit?: string): (done: number, total?: number) => void;
  /** Ends the current stage. */
  end(): void;
}

/** A reporter that reports nothing. */
export const silentProgress: ProgressReporter = { stage: () => () => {}, end: () => {} };

/** Seconds since `t0` (a `performance.now()` reading). */
export const secondsSince = (t0: number): number => (performance.now() - t0) / 1000;
