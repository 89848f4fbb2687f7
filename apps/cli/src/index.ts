/**
 * The `wide` CLI as a library (for tests and embedding): the program and its commands, the
 * option builders new commands use, progress, and the figures as vega-lite specs.
 * @packageDocumentation
 */
export { main, buildProgram, cliVersion } from './cli.js';
export { commands } from './commands/index.js';
export { runKernel, kernelCommand, type KernelOptions } from './commands/kernel.js';
export { predictCommand } from './commands/predict.js';
export { trainCommand } from './commands/train.js';
export { reproduceCommand } from './commands/reproduce.js';
export { spectrumCommand } from './commands/spectrum.js';
export { gmmCoeffsCommand } from './commands/gmm-coeffs.js';
export { runDemo, demoCommand, demoArchitecture, type DemoOptions, type DemoResult } from './commands/demo.js';
export { completionCommand } from './commands/completion.js';
export { helpCommand } from './commands/help.js';
export { WideCommand, UsageError, usageMessage, commandPath } from './command.js';
export { intOption, numberOption, intOpt, numberOpt, choiceOpt, listOpt, quietOpt, jsonOpt, plotFormatOpt, type CommonOptions } from './args.js';
export { completionScript, type Shell } from './completion.js';
export { makeProgress, stopProgress, type Progress } from './progress.js';
export * from './plots/index.js';
