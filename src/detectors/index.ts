// Every analytic exfilscope runs. Adding one: a folder under detectors/ and one line here.
import type { DetectorSpec } from './detector.js';
import { seedAltProtocolVolume } from './seed-alt-protocol-volume/index.js';
import { seedEncodedPayload } from './seed-encoded-payload/index.js';

export const DETECTORS: readonly DetectorSpec<any>[] = [seedEncodedPayload, seedAltProtocolVolume];
