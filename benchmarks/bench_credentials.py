"""API-key check (SHA-256 digest, found by prefix) against the baseline of argon2 per request.

Why it matters: every integration request authenticates. argon2 is right for passwords (slow on
purpose) and wrong for 256-bit random keys, where a digest comparison is as safe and far cheaper.

    python benchmarks/bench_credentials.py [--rounds 200]

Prints both timings side by side and their ratio (baseline / casedesk). No database needed.
"""

from __future__ import annotations

import argparse
import hmac
import statistics
import time

from argon2 import PasswordHasher

from tenants.secrets import api_key_digest, new_api_key, split_api_key


def _time(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    full, _prefix, digest = new_api_key()
    hasher = PasswordHasher()
    argon_hash = hasher.hash(full)

    def casedesk_check() -> None:
        assert split_api_key(full) is not None
        assert hmac.compare_digest(digest, api_key_digest(full))

    def baseline_check() -> None:
        assert hasher.verify(argon_hash, full)

    ours = _time(casedesk_check, args.rounds)
    base = _time(baseline_check, max(10, args.rounds // 10))
    print(f"{'check':<32}{'median per request':>22}")
    print(f"{'baseline: argon2 verify':<32}{base * 1e3:>19.3f} ms")
    print(f"{'casedesk: sha256 digest':<32}{ours * 1e6:>19.3f} µs")
    print(f"ratio baseline/casedesk: {base / ours:,.0f}x")


if __name__ == "__main__":
    main()
