// http.log conformance against Zeek's baselines (see app-logs.ts and CONFORMANCE.md).
import { describe, it } from 'vitest';
import { hasSharedData } from '../shared-data.js';
import { appLogConformance } from './app-logs.js';

describe.skipIf(!hasSharedData)('http.log conformance with Zeek baselines', () => {
  it('matches Zeek row by row at the recorded rates', () =>
    appLogConformance('http', ['method', 'host', 'uri', 'request_body_len', 'response_body_len', 'status_code']));
});
