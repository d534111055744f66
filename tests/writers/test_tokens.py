"""Tokens: long, random, stored only as a hash, recognised only by their hash."""

from __future__ import annotations

import base64

from preceptor.writers import tokens


def test_a_token_has_at_least_128_random_bits() -> None:
    token = tokens.new_token()
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert tokens.looks_like_token(token)


def test_tokens_do_not_repeat() -> None:
    assert len({tokens.new_token() for _ in range(1000)}) == 1000


def test_the_hash_is_sha256_and_not_the_token() -> None:
    token = tokens.new_token()
    digest = tokens.hash_token(token)
    assert len(digest) == 64 and token not in digest
    assert tokens.matches(token, digest)
    assert not tokens.matches(tokens.new_token(), digest)


def test_junk_is_not_a_token() -> None:
    for junk in ["", "short", "../../etc/passwd" * 3, "a" * 65, "é" * 43, "a b" * 20]:
        assert not tokens.looks_like_token(junk)
