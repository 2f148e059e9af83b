// Allow-lists and suppressions: one entry (CIDR, domain, process, user or analytic) explains away every finding
// it matches, whether the finding is new or already stored, because incidents are rebuilt from stored findings.
import type { ProcessRef } from '../core/events.js';
import type { Finding } from '../core/findings.js';
import { cidrContains, parseCidr, type Cidr } from '../core/cidr.js';
import type { AllowEntry, AllowKind } from './context.js';
import { baseName } from './paths.js';

/** Finding details that name a domain, by the keys analytics use for them. */
const DOMAIN_DETAIL_KEYS = ['domain', 'query', 'server_name', 'host_header', 'dst_hostname'];

export class AllowList {
  private readonly cidrs: { entry: AllowEntry; cidr: Cidr }[] = [];
  private readonly byKind = new Map<AllowKind, AllowEntry[]>();

  constructor(entries: readonly AllowEntry[]) {
    for (const entry of entries) {
      if (entry.kind === 'cidr') {
        const cidr = parseCidr(entry.value);
        if (cidr !== undefined) this.cidrs.push({ entry, cidr });
        continue;
      }
      const list = this.byKind.get(entry.kind) ?? [];
      list.push(entry);
      this.byKind.set(entry.kind, list);
    }
  }

  /** The entry that suppresses this finding, if any; `process` is its attributed process when it has none. */
  match(finding: Finding, process?: ProcessRef): AllowEntry | undefined {
    for (const { entry, cidr } of this.cidrs) {
      if ((finding.dst_ip !== undefined && cidrContains(cidr, finding.dst_ip)) || (finding.src_ip !== undefined && cidrContains(cidr, finding.src_ip))) return entry;
    }
    const analytic = this.byKind.get('analytic')?.find((e) => e.value === finding.analytic);
    if (analytic !== undefined) return analytic;
    for (const key of DOMAIN_DETAIL_KEYS) {
      const value = finding.details?.[key];
      if (typeof value !== 'string') continue;
      const hit = this.matchDomain(value);
      if (hit !== undefined) return hit;
    }
    return this.matchProcess(finding.process) ?? this.matchProcess(process);
  }

  matchProcess(process: ProcessRef | undefined): AllowEntry | undefined {
    if (process === undefined) return undefined;
    if (process.image !== undefined) {
      const image = process.image.toLowerCase();
      const name = baseName(image);
      const hit = this.byKind.get('process')?.find((e) => e.value.toLowerCase() === image || e.value.toLowerCase() === name);
      if (hit !== undefined) return hit;
    }
    const user = process.user?.toLowerCase();
    return user === undefined ? undefined : this.byKind.get('user')?.find((e) => e.value.toLowerCase() === user);
  }

  /** A domain entry matches the domain itself and every name under it. */
  matchDomain(name: string): AllowEntry | undefined {
    const domain = name.toLowerCase().replace(/\.$/, '');
    return this.byKind.get('domain')?.find((e) => {
      const allowed = e.value.toLowerCase().replace(/\.$/, '');
      return domain === allowed || domain.endsWith('.' + allowed);
    });
  }
}

export function describeAllow(entry: AllowEntry): string {
  return `allow-list entry #${entry.id} (${entry.kind} ${entry.value}${entry.comment ? `: ${entry.comment}` : ''})`;
}
