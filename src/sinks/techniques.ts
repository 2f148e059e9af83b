// ATT&CK names of the techniques findings can carry, for outputs that show names beside IDs.
import type { Technique } from '../core/findings.js';

export const TECHNIQUE_NAMES: Record<Technique, string> = {
  T1048: 'Exfiltration Over Alternative Protocol',
  'T1048.001': 'Exfiltration Over Symmetric Encrypted Non-C2 Protocol',
  'T1048.002': 'Exfiltration Over Asymmetric Encrypted Non-C2 Protocol',
  'T1048.003': 'Exfiltration Over Unencrypted Non-C2 Protocol',
  T1027: 'Obfuscated Files or Information',
  T1560: 'Archive Collected Data',
  T1074: 'Data Staged',
  T1041: 'Exfiltration Over C2 Channel',
};
