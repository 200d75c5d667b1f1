export * from './contract';
export * from './result';
export * from './bridge';
export * from './socket-protocol';
export * from './test-build';
