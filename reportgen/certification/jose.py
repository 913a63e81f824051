"""JOSE: the only importer of joserfc; VC-JWTs and detached JWS signed with the body's key, and their checks."""

from __future__ import annotations

import contextlib
import json
import warnings

from reportgen.errors import ReportgenError
from reportgen.i18n import _


@contextlib.contextmanager
def _quiet():
    """Silence joserfc's warning that RFC 9864 deprecates "EdDSA" (for "Ed25519"): Open Badges 3.0 verifiers, and
    PyJWT, know "EdDSA"."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


# JWS algorithm per key kind (keys.signing_key_pem names the kind): RS256 for the RSA keys `keys new` makes,
# EdDSA for the Ed25519 keys it made before.
ALGORITHMS = {"Ed25519": "EdDSA", "Ed448": "EdDSA", "ECDSA": "ES256", "RSA": "RS256"}


class BadToken(ValueError):
    """Raised when a JWT or JWS is malformed or its signature does not match the key."""


def _key(pem: bytes):
    """Return a PEM key (private or public) as a joserfc key of whichever kind it is."""
    from joserfc.errors import JoseError
    from joserfc.jwk import JWKRegistry

    for kind in ("OKP", "EC", "RSA"):
        try:
            return JWKRegistry.import_key(pem, kind)
        except (JoseError, ValueError, TypeError):
            continue
    raise ValueError("not an Ed25519, EC or RSA key")


def algorithm(kind: str) -> str:
    """Return the JWS algorithm for a key kind; ReportgenError for a kind JOSE cannot sign with here."""
    if kind not in ALGORITHMS:
        raise ReportgenError(_("a {kind} key cannot sign a JSON Web Token").format(kind=kind))
    return ALGORITHMS[kind]


def public_jwk(public_pem: bytes) -> dict[str, str]:
    """Return a public key (PEM) as a JWK, with its RFC 7638 thumbprint as "kid"."""
    key = _key(public_pem)
    out = {str(k): str(v) for k, v in key.as_dict(private=False).items()}
    out["kid"] = key.thumbprint()
    return out


def sign_jwt(claims: dict, private_pem: bytes, kind: str) -> str:
    """Return claims as a compact JWS (a VC-JWT), signed with the private key; the header names the key by kid."""
    from joserfc import jwt

    key = _key(private_pem)
    alg = algorithm(kind)
    header = {"alg": alg, "typ": "JWT", "kid": key.thumbprint()}
    with _quiet():
        return jwt.encode(header, claims, key, algorithms=[alg])


def verify_jwt(token: str, public_pem: bytes) -> tuple[dict, dict]:
    """Return (header, claims) of a compact JWS signed by the public key's owner; BadToken otherwise."""
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        header = json.loads(_b64decode(token.split(".")[0]))
        alg = header["alg"] if isinstance(header, dict) else ""
        if alg not in set(ALGORITHMS.values()):
            raise BadToken(f"the token's algorithm {alg!r} is not one reportgen signs with")
        with _quiet():
            signed = jws.deserialize_compact(token, _key(public_pem), algorithms=[alg])
        claims = json.loads(signed.payload)
    except BadToken:
        raise
    except (JoseError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise BadToken(f"{type(exc).__name__}: {exc}") from None
    if not isinstance(claims, dict):
        raise BadToken("the token's payload is not a JSON object")
    return dict(signed.headers()), claims


def sign_detached(payload: bytes, private_pem: bytes, kind: str) -> str:
    """Return a detached compact JWS of payload (RFC 7515 appendix F: header..signature)."""
    from joserfc import jws

    key = _key(private_pem)
    alg = algorithm(kind)
    with _quiet():
        full = jws.serialize_compact({"alg": alg, "kid": key.thumbprint()}, payload, key, algorithms=[alg])
    head, _dot, rest = full.partition(".")
    return f"{head}..{rest.partition('.')[2]}"


def verify_detached(signature: str, payload: bytes, public_pem: bytes) -> bool:
    """Return True when a detached compact JWS signs payload with the public key's owner."""
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        alg = json.loads(_b64decode(signature.split(".")[0]))["alg"]
        with _quiet():
            jws.deserialize_compact(signature, _key(public_pem), algorithms=[alg], payload=payload)
    except (JoseError, ValueError, KeyError, IndexError, TypeError):
        return False
    return True


def _b64decode(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
