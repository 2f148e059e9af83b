// Every analytic exfilscope runs. Adding one: a folder under detectors/ and one line here.
import type { DetectorSpec } from './detector.js';
import { seedEncryptedFileStaged } from './seed-encrypted-file-staged/index.js';
import { seedEncryptionBeforeExfil } from './seed-encryption-before-exfil/index.js';

export const DETECTORS: readonly DetectorSpec<any>[] = [
  seedEncryptionBeforeExfil,
  seedEncryptedFileStaged,
];
