import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeProgress, stopProgress } from '../src/index.js';

/** A stream that records what is written; `isTTY` as given. */
function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

describe('makeProgress', () => {
  it('without a TTY: one plain line per finished stage', () => {
    const r = recorder(false);
    const p = makeProgress({ stream: r.stream });
    let tick = p.stage('loading');
    tick(1);
    tick = p.stage('kernel 3×3', 'tiles');
    for (let i = 1; i <= 4; i++) tick(i, 4);
    p.end();
    p.end(); // ending twice prints nothing more
    expect(r.text()).toMatch(/^loading done in \d+\.\d s\nkernel 3×3 done in \d+\.\d s\n$/);
  });

  it('on a TTY: a bar with percentage, rate and ETA, cleared and replaced by the done line', () => {
    const r = recorder(true);
    const p = makeProgress({ stream: r.stream });
    const tick = p.stage('kernel 2000×2000', 'tiles');
    for (let i = 1; i <= 10; i++) {
      busy(25);
      tick(i, 10);
    }
    p.end();
    const text = r.text();
    expect(text).toMatch(/kernel 2000×2000 \[[^\]]*\] \d+%/);
    expect(text).toMatch(/\d+% \| ETA \d+s \| [\d.]+ tiles\/s/);
    expect(text.trimEnd().split('\n').pop()).toMatch(/kernel 2000×2000 done in \d+\.\d s$/);
  });

  it('prints nothing with quiet, and stopProgress ends a bar left open by an error', () => {
    const quiet = recorder(true);
    const q = makeProgress({ stream: quiet.stream, quiet: true });
    q.stage('x', 'tiles')(1, 2);
    q.end();
    expect(quiet.text()).toBe('');
    const r = recorder(true);
    makeProgress({ stream: r.stream }).stage('interrupted', 'tiles')(1, 2);
    stopProgress(); // otherwise the bar's redraw timer would keep the process alive
    expect(r.text()).toMatch(/interrupted \[/);
  });
});
