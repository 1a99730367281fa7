export * from './protocol';
export * from './rest';
export * from './socket';
export type { components, paths } from './schema';
