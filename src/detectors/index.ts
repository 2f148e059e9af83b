// Every analytic exfilscope runs. Adding one: a folder under detectors/ and one line here.
import { beaconing } from './beaconing/index.js';
import type { DetectorSpec } from './detector.js';
import { dnsTunnel } from './dns-tunnel/index.js';
import { encryptedPayload } from './encrypted-payload/index.js';
import { flowAsymmetry } from './flow-asymmetry/index.js';
import { icmpExfil } from './icmp-exfil/index.js';
import { seedAltProtocolVolume } from './seed-alt-protocol-volume/index.js';
import { seedEncodedPayload } from './seed-encoded-payload/index.js';
import { seedEncryptedFileStaged } from './seed-encrypted-file-staged/index.js';
import { seedEncryptionBeforeExfil } from './seed-encryption-before-exfil/index.js';

export const DETECTORS: readonly DetectorSpec<any>[] = [
  seedEncodedPayload,
  seedAltProtocolVolume,
  seedEncryptionBeforeExfil,
  seedEncryptedFileStaged,
  encryptedPayload,
  dnsTunnel,
  icmpExfil,
  flowAsymmetry,
  beaconing,
];
