// End to end on Linux and firewall telemetry: the recorded auditd attack log raises seed analytics 2 and 3 through
// the shared command-line analysis, and firewall CEF byte counts raise seed analytic 4.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt } from './harness.js';
import { REPO_ROOT } from './shared-data.js';

describe('auditd and firewall logs through the analytics', () => {
  it('finds openssl enc and gpg -c, and the encrypted files they staged, in the recorded auditd log', async () => {
    const { findings, summary } = await hunt([join(REPO_ROOT, 'src/readers/auditd/testdata/attack.audit.log')]);
    expect(summary.inputs[0]).toMatchObject({ format: 'auditd' });
    const encrypt = findings.filter((f) => f.analytic === 'seed-encryption-before-exfil');
    expect(encrypt.map((f) => f.process?.command_line).join('\n')).toMatch(/openssl enc -aes-256-cbc/);
    expect(encrypt.map((f) => f.process?.command_line).join('\n')).toMatch(/gpg .*-c/);
    expect(encrypt.every((f) => f.host === 'web-01')).toBe(true);
    const staged = findings.filter((f) => f.analytic === 'seed-encrypted-file-staged').map((f) => f.details?.path);
    expect(staged).toContain('/tmp/db.enc');
  });

  it('adds up CEF byte counts into the large-upload analytic', async () => {
    const { findings } = await hunt([join(REPO_ROOT, 'src/readers/firewall/testdata/mixed-syslog.log')]);
    const volume = findings.filter((f) => f.analytic === 'seed-alt-protocol-volume');
    expect(volume).toHaveLength(1);
    expect(volume[0]).toMatchObject({ dst_ip: '203.0.113.9', dst_port: 21 });
    expect(volume[0]!.bytes_out!).toBeGreaterThan(50_000_000);
  });
});
