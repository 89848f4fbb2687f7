/**
 * The `wide` CLI as a library (for tests and embedding).
 * @packageDocumentation
 */
export { runKernel, kernelHelp } from './commands/kernel.js';
export { runDemo, demoHelp, demoArchitecture, type DemoResult } from './commands/demo.js';
export { spectrumSvg, descendingPositive, type SpectrumPlot } from './svg.js';
export { makeProgress, type Progress } from './progress.js';
export { parseArgs, UsageError } from './args.js';
export { main } from './cli.js';
