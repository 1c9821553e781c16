// pitchstream's public API: what notebooks and the CLI import. One barrel, one room per concept.
export * from './config';
export * from './errors';
export * from './jupyter';
export * from './data';
export * from './spark';
export * from './stack';
export * from './kafka';
export * from './arrow';
export * from './smoke';
export * from './synthetic';
export * from './charts';
export * from './producer';
export * from './doctor';
export * from './streaming';
export * from './metrics';
export * from './reports';
