"""The merchant's keys, read from the PEM files a merchant account names (never the database),
and the RSA-SHA256 signatures both providers use.

Files are read once and kept while unchanged (the cache is keyed by the file's modification
time), so a notification costs a signature check, not a file read and a PEM parse.
"""

from __future__ import annotations

import base64
import functools
import os
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class KeyMissing(Exception):
    """A key file a merchant account names cannot be read or is not a key."""


@functools.lru_cache(maxsize=64)
def _read(path: str, _mtime: float) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def read_file(path: str) -> bytes:
    try:
        return _read(path, os.stat(path).st_mtime)
    except OSError as error:
        raise KeyMissing(path) from error


@functools.lru_cache(maxsize=64)
def _private(path: str, _mtime: float) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(_read(path, _mtime), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyMissing(path)
    return key


@functools.lru_cache(maxsize=64)
def _public(path: str, _mtime: float) -> rsa.RSAPublicKey:
    key: Any = serialization.load_pem_public_key(_read(path, _mtime))
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyMissing(path)
    return key


def private_key(path: str) -> rsa.RSAPrivateKey:
    try:
        return _private(path, os.stat(path).st_mtime)
    except (OSError, ValueError) as error:
        raise KeyMissing(path) from error


def public_key(path: str) -> rsa.RSAPublicKey:
    try:
        return _public(path, os.stat(path).st_mtime)
    except (OSError, ValueError) as error:
        raise KeyMissing(path) from error


def sign(key: rsa.RSAPrivateKey, message: str) -> str:
    """SHA256withRSA (PKCS#1 v1.5), base64: WeChat Pay v3's and Alipay's RSA2."""
    return base64.b64encode(
        key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()


def verify(key: rsa.RSAPublicKey, message: str | bytes, signature: str) -> bool:
    data = message.encode() if isinstance(message, str) else message
    try:
        key.verify(
            base64.b64decode(signature, validate=True), data, padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return True
