export * from './events.js';
export * from './envelope.js';
export * from './close-codes.js';
export * from './params.js';
export * from './errors.js';
export * from './backoff.js';
export * from './rest.js';
