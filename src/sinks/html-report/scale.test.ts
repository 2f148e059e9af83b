// Size budget at scale (issue 8): a report of 100 000 findings stays under 20 MB. Opening and filtering
// speed in Chromium is measured by bench/report.bench.ts, not here: unit tests carry no timing.
import { describe, expect, it } from 'vitest';
import { generatedRun } from '../../../test/report-fixtures.js';
import { renderReport } from './render.js';

describe('report size', () => {
  it('stays under 20 MB for 100 000 findings', () => {
    const html = renderReport(generatedRun(100_000));
    expect(Buffer.byteLength(html)).toBeLessThan(20 * 1000 * 1000);
  });
});
