// pitchstream's public API: what notebooks and the CLI import. One barrel, one room per concept.
export * from './config';
export * from './errors';
export * from './jupyter';
export * from './data';
export * from './synthetic';
export * from './spark';
