// dns.log conformance against Zeek's baselines (see app-logs.ts and CONFORMANCE.md).
import { describe, it } from 'vitest';
import { hasSharedData } from '../shared-data.js';
import { appLogConformance } from './app-logs.js';

describe.skipIf(!hasSharedData)('dns.log conformance with Zeek baselines', () => {
  it('matches Zeek row by row at the recorded rates', () => appLogConformance('dns', ['query', 'qtype_name', 'rcode_name', 'answers']));
});
