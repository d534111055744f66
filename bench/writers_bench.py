"""How fast the vault's pure parts are; prints each figure.

Usage: python bench/writers_bench.py [--quick]

- token creation + hashing (every link and delivery);
- encryption and decryption of a letter with MultiFernet (every upload and download),
  for a 1-page letter and a 10 MB one (the limit);
- validating an upload with ``lib.pdf.validate_pdf`` (parses every page);
- re-encrypting letters during ``rotate_file_keys`` (letters per second).
Targets: token ≥ 50,000/s; a 10 MB letter encrypted or decrypted in ≤ 0.5 s; rotation
≥ 100 one-page letters/s (an hour for a school's 300,000 letters at worst).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet, MultiFernet  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from preceptor.writers import tokens  # noqa: E402

MB = 1024 * 1024


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for i in range(pages):
        c.drawString(72, 720, f"Letter of recommendation, page {i + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def _rate(label: str, n: int, seconds: float, unit: str = "/s") -> None:
    print(f"{label:<48} {n / seconds:>12,.0f} {unit}   ({n} in {seconds:.3f} s)")


def _time(label: str, fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    per = (time.perf_counter() - start) / repeat
    print(f"{label:<48} {per * 1000:>12.1f} ms each ({repeat} runs)")
    return per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run")
    args = parser.parse_args()
    n = 2_000 if args.quick else 50_000
    repeat = 2 if args.quick else 5

    start = time.perf_counter()
    for _ in range(n):
        tokens.hash_token(tokens.new_token())
    _rate("token: new + SHA-256", n, time.perf_counter() - start)

    old, new = Fernet(Fernet.generate_key()), Fernet(Fernet.generate_key())
    f = MultiFernet([new, old])
    one_page = _pdf(1)
    big = one_page + b"%" * (10 * MB - len(one_page) - 1)
    for label, data in (("1-page letter", one_page), ("10 MB letter", big)):
        token = f.encrypt(data)
        _time(f"encrypt {label} ({len(data) / MB:.2f} MB)", lambda d=data: f.encrypt(d), repeat)
        _time(f"decrypt {label}", lambda t=token: f.decrypt(t), repeat)

    from django.conf import settings

    settings.configure()
    from preceptor.lib.pdf import validate_pdf

    three, twenty = _pdf(3), _pdf(20)
    _time("validate_pdf, 3-page letter", lambda: validate_pdf(three), repeat * 4)
    _time("validate_pdf, 20-page letter", lambda: validate_pdf(twenty), repeat)

    letters = [old.encrypt(one_page) for _ in range(200 if args.quick else 2_000)]
    start = time.perf_counter()
    for t in letters:
        f.rotate(t)
    _rate("rotate (re-encrypt) one-page letters", len(letters), time.perf_counter() - start)


if __name__ == "__main__":
    main()
