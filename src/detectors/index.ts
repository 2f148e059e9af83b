// Every analytic exfilscope runs. Adding one: a folder under detectors/ and one line here.
import type { DetectorSpec } from './detector.js';
import { dnsTunnel } from './dns-tunnel/index.js';
import { encryptedPayload } from './encrypted-payload/index.js';
import { icmpExfil } from './icmp-exfil/index.js';

export const DETECTORS: readonly DetectorSpec<any>[] = [
  encryptedPayload,
  dnsTunnel,
  icmpExfil,
];
