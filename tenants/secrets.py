"""Passwords, PINs, API keys and staff tokens.

Passwords and case PINs are low-entropy secrets typed by people: they get argon2 (memory-hard,
slow on purpose) and are checked off the event loop. API keys are long random strings: a SHA-256
digest found by an indexed prefix is enough, and costs microseconds per request.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "ROLES",
    "check_secret",
    "decode_token",
    "hash_secret",
    "issue_token",
    "new_api_key",
    "new_pin",
    "new_tracking_code",
    "seal_pin",
    "split_api_key",
    "unseal_pin",
]

ROLES = ("tenant_admin", "supervisor", "handler", "auditor")
API_KEY_PREFIX = "cdk"
_TOKEN_ALG = "HS256"

_hashers = {
    "default": PasswordHasher(),
    # Tests create hundreds of cases; the cheap profile keeps argon2 but at minimal cost.
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


def _hasher(profile: str) -> PasswordHasher:
    return _hashers.get(profile, _hashers["default"])


async def hash_secret(secret: str, profile: str = "default") -> str:
    return await asyncio.to_thread(_hasher(profile).hash, secret)


async def check_secret(secret: str, hashed: str, profile: str = "default") -> bool:
    if not hashed:
        return False

    def _verify() -> bool:
        try:
            return _hasher(profile).verify(hashed, secret)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(_verify)


# Crockford base32 without I, L, O, U: readable over the phone, no ambiguous characters.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code() -> str:
    """``XXXX-XXXX``: 40 random bits, short enough to read out, not guessable in sequence."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_tracking_code(code: str) -> str:
    cleaned = code.strip().upper().replace(" ", "").replace("-", "")
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else code.strip().upper()


def new_pin() -> str:
    return "".join(secrets.choice(string.digits) for _ in range(8))


def new_api_key() -> tuple[str, str, str]:
    """Returns (full key shown once, public prefix, sha256 digest to store)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    full = f"{API_KEY_PREFIX}_{prefix}_{secret}"
    return full, prefix, api_key_digest(full)


def api_key_digest(full_key: str) -> str:
    return hashlib.sha256(full_key.encode()).hexdigest()


def split_api_key(value: str) -> str | None:
    """The prefix of something shaped like an API key, else None."""
    parts = value.split("_", 2)
    if len(parts) == 3 and parts[0] == API_KEY_PREFIX and len(parts[1]) == 12:
        return parts[1]
    return None


@dataclass(frozen=True, slots=True)
class StaffToken:
    user_id: str
    tenant_id: str
    expires_at: datetime


def issue_token(*, user_id: str, tenant_id: str, secret: str, now: datetime, ttl: timedelta) -> str:
    """A signed JWT. Times come from casedesk's injectable clock, not the wall clock."""
    claims = {"sub": user_id, "tid": tenant_id, "iat": int(now.timestamp()), "exp": int((now + ttl).timestamp())}
    return jwt.encode(claims, secret, algorithm=_TOKEN_ALG)


def decode_token(encoded: str, secret: str) -> StaffToken | None:
    """The token's claims if its signature holds, else None. Expiry is checked by the caller
    against the injected clock (pyjwt would compare with the wall clock)."""
    try:
        claims = jwt.decode(
            encoded,
            secret,
            algorithms=[_TOKEN_ALG],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
        return StaffToken(str(claims["sub"]), str(claims["tid"]), datetime.fromtimestamp(int(claims["exp"]), UTC))
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


def _keystream(secret_key: str, context: str, length: int) -> bytes:
    return hmac.new(secret_key.encode(), context.encode(), hashlib.sha256).digest()[:length]


def seal_pin(pin: str, *, secret_key: str, context: str) -> str:
    """Encrypt a PIN for an idempotent replay: a retried intake must hand back the PIN its lost
    first answer carried, yet the PIN is never stored in the clear. The key stream is an HMAC of
    the server secret over the client's Idempotency-Key (unique per request), used once."""
    data = pin.encode()
    stream = _keystream(secret_key, context, len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True)).hex()


def unseal_pin(sealed: str, *, secret_key: str, context: str) -> str:
    data = bytes.fromhex(sealed)
    stream = _keystream(secret_key, context, len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True)).decode(errors="replace")
