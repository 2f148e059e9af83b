import { describe, expect, it } from 'vitest';
import { chainPoints, incidentRisk } from './score.js';

const none = { transfer: false, encrypt: false, stage: false, link: false, novelty: false, memberRisk: 0 };

describe('incident scoring', () => {
  it('scores the full chain above any lone stage of the same finding risk', () => {
    const chain = incidentRisk({ transfer: true, encrypt: true, stage: true, link: true, novelty: true, memberRisk: 9 });
    const loneEncrypt = incidentRisk({ ...none, encrypt: true, memberRisk: 9 });
    const loneTransfer = incidentRisk({ ...none, transfer: true, novelty: true, memberRisk: 9 });
    expect(chain).toBe(9.4);
    expect(loneEncrypt).toBe(6.2);
    expect(loneTransfer).toBe(7.4);
    expect(chain).toBeGreaterThan(loneTransfer);
    expect(loneTransfer).toBeGreaterThan(loneEncrypt);
  });
  it('caps at 10 and counts each stage once', () => {
    expect(chainPoints({ transfer: true, encrypt: true, stage: true, link: true, novelty: true, memberRisk: 0 })).toBe(10);
    expect(incidentRisk({ transfer: true, encrypt: true, stage: true, link: true, novelty: true, memberRisk: 10 })).toBe(10);
    expect(incidentRisk({ ...none, memberRisk: 42 })).toBe(6);
  });
});
