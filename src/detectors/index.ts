// Every analytic exfilscope runs. Adding one: a folder under detectors/ and one line here.
import type { DetectorSpec } from './detector.js';
import { encryptedPayload } from './encrypted-payload/index.js';

export const DETECTORS: readonly DetectorSpec<any>[] = [
  encryptedPayload,
];
