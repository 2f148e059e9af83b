// Baseline novelty as findings: a process that starts using the network after its host's baseline was
// established (the seed's "processes that do not normally have network communication"). Derived from the
// baselines after each hunt, so the finding is the same however the inputs were split across runs.
import { findingId, type Finding } from '../core/findings.js';
import type { NewNetworkProcess } from './context.js';

export const NEW_NETWORK_PROCESS = 'first-seen-network-process';

export function newNetworkProcessFindings(processes: readonly NewNetworkProcess[]): Finding[] {
  return processes.map((p) => {
    const days = ((p.first_seen - p.host_first_seen) / 86400).toFixed(1);
    return {
      id: findingId(NEW_NETWORK_PROCESS, [p.host, p.image], p.first_seen),
      technique: 'T1048',
      analytic: NEW_NETWORK_PROCESS,
      risk: 4,
      ts_start: p.first_seen,
      ts_end: p.first_seen,
      host: p.host,
      src_ip: p.src_ip,
      dst_ip: p.dst_ip,
      dst_port: p.dst_port,
      process: p.process ?? { image: p.image },
      reason: `${p.host}: ${p.process?.image ?? p.image} used the network for the first time, ${days} days into the host's baseline`,
      evidence: p.source === undefined ? [] : [{ ...p.source, note: 'first connection of this process' }],
    };
  });
}
