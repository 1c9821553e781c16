// Synthetic matches in the StatsBomb shape: seeded, labelled "pitchstream synthetic", readable by lib/data.
export { generateSyntheticDataset, writeSyntheticDataset, type SyntheticDataset, type SyntheticDatasetOptions } from './dataset';
export { generateMatch, SYNTHETIC_COMPETITION, type SyntheticMatch, type SyntheticMatchOptions } from './match-generator';
export { createRandom, type Random } from './random';
export { createLeague, createTeam, type SyntheticPlayer, type SyntheticTeam } from './teams';
