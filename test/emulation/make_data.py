#!/usr/bin/python3
"""Deterministic data for the emulation corpus: fake customer CSVs (the "stolen" data), a noisy PNG and
JPEG, JSON with a Base64 image, and a JWT. Usage: make_data.py OUTDIR"""
import base64
import hashlib
import io
import json
import os
import random
import sys

from PIL import Image

out = sys.argv[1]
rng = random.Random(1048)
first = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar']
last = ['smith', 'jones', 'garcia', 'miller', 'davis', 'lopez', 'wilson', 'moore', 'taylor', 'clark']


def customers(n: int) -> str:
    rows = ['id,name,email,card,expiry,balance']
    for i in range(n):
        f, l = rng.choice(first), rng.choice(last)
        card = '4%015d' % rng.randrange(10**15)
        rows.append(f'{i},{f.title()} {l.title()},{f}.{l}{i}@example.com,{card},{rng.randint(1, 12):02d}/{rng.randint(25, 31)},{rng.randint(0, 99999) / 100:.2f}')
    return '\n'.join(rows) + '\n'


def write(name: str, data) -> None:
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(os.path.join(out, name), mode) as fh:
        fh.write(data)


write('secret-small.csv', customers(40))      # ~3 KB
write('secret-medium.csv', customers(1500))   # ~110 KB
write('secret-large.csv', customers(22000))   # ~1.6 MB
write('benign-report.csv', customers(800))

img = Image.new('RGB', (320, 240))
img.putdata([(x % 256, (y * 3) % 256, rng.randrange(256)) for y in range(240) for x in range(320)])
buf = io.BytesIO()
img.save(buf, 'JPEG', quality=85)
write('photo.jpg', buf.getvalue())
buf = io.BytesIO()
img.save(buf, 'PNG')
write('diagram.png', buf.getvalue())
small = io.BytesIO()
img.resize((96, 72)).save(small, 'PNG')
write('avatar.json', json.dumps({'user': 'alice', 'avatar': 'data:image/png;base64,' + base64.b64encode(small.getvalue()).decode()}))


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b'=').decode()


# An RS256-shaped token: its 256-byte signature is as random as ciphertext, the classic false positive.
header = b64url(json.dumps({'alg': 'RS256', 'typ': 'JWT'}).encode())
claims = b64url(json.dumps({'sub': 'alice', 'scope': 'reports:write', 'iat': 1700000000, 'exp': 1700003600}).encode())
signature = b64url(hashlib.shake_256(f'{header}.{claims}'.encode()).digest(256))
write('token.jwt', f'{header}.{claims}.{signature}')
write('xor-key.txt', 'S3cr3tK')
