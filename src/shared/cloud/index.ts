export * from './phone';
export * from './problem';
export * from './entities';
export * from './auth';
export * from './sync';
export * from './realtime';
export * from './api';
