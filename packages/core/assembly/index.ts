// The entry of Wide's WebAssembly module: every kernel file is re-exported here (one line each).
// Built by scripts/build-wasm.mjs; functions take byte offsets into the shared memory, sizes and
// f64 scalars; functions run on worker threads take the task index as their last argument.
export * from './pool';
export * from './linalg/index';
export { ruleBatch, mathBatch } from './rules/batch';
export * from './gram';
export * from './mirror';
export * from './ops';
export * from './chain';
export { windowTask } from './window';
export { cnnTask, cnnVarTask } from './cnn';
export { fullPairTask, fullSelfTask } from './cnn-full';
export * from './pair-full';
