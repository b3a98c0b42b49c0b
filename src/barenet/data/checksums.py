"""Canonical checksums, and the check of a file against them.

Two kinds of published checksum exist for the MNIST family:

* MNIST: SHA-256 of the *decompressed* IDX content. This is the strong check: it does not depend
  on how the `.gz` was compressed (any mirror, any gzip level, or no gzip at all verifies).
* Fashion-MNIST: Zalando publishes only the MD5 of the `.gz` files (README of
  zalandoresearch/fashion-mnist; the same values torchvision uses). We do not know SHA-256 values
  of the decompressed Fashion-MNIST content from a source we trust, so we invent none: a
  Fashion-MNIST `.gz` file is verified by the MD5 of its compressed bytes, and an uncompressed
  Fashion-MNIST file cannot be verified (status "unverified", never "verified"). MD5 here guards
  against corruption and wrong files, not against an attacker.

    Checksum(algorithm, covers, hexdigest)      covers: "content" (decompressed) or "gz" (file)
    file_status(checksum, raw, content) -> str  "verified", "not canonical" or "unverified"
    sha256_hex(content) -> str                  SHA-256 of bytes, as lowercase hex
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from barenet.data.idx import is_gzip
from barenet.i18n import _

VERIFIED = "verified"
NOT_CANONICAL = "not canonical"
UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Checksum:
    """A published checksum of one file.

    algorithm: a `hashlib` name ("sha256", "md5").
    covers: "content" for the decompressed IDX bytes, "gz" for the bytes of the `.gz` file.
    """

    algorithm: str
    covers: str
    hexdigest: str

    def describe(self) -> str:
        """E.g. "SHA-256 of the decompressed content" (for messages)."""
        algorithm = self.algorithm.upper().replace("SHA", "SHA-")
        if self.covers == "content":
            return _("{algorithm} of the decompressed content").format(algorithm=algorithm)
        return _("{algorithm} of the .gz file").format(algorithm=algorithm)


def sha256_hex(content: bytes) -> str:
    """SHA-256 of `content` as lowercase hex (hashlib; uses the CPU's SHA extensions)."""
    return hashlib.sha256(content).hexdigest()


def digest(
    checksum: Checksum, raw: bytes, content: bytes, content_sha256: str | None = None
) -> str | None:
    """The hex digest of what `checksum` covers, or None when that is not available.

    raw: the file's bytes as stored; content: its decompressed IDX bytes; content_sha256: the
    SHA-256 of `content` if already computed (saves hashing 47 MB twice).
    """
    if checksum.covers == "content":
        if checksum.algorithm == "sha256" and content_sha256 is not None:
            return content_sha256
        data = content
    elif is_gzip(raw):
        data = raw
    else:  # a checksum of the .gz says nothing about an uncompressed copy
        return None
    return hashlib.new(checksum.algorithm, data).hexdigest()


def file_status(
    checksum: Checksum | None, raw: bytes, content: bytes, content_sha256: str | None = None
) -> str:
    """Compare a file with its canonical checksum: VERIFIED, NOT_CANONICAL or UNVERIFIED."""
    if checksum is None:
        return UNVERIFIED
    actual = digest(checksum, raw, content, content_sha256)
    if actual is None:
        return UNVERIFIED
    return VERIFIED if actual == checksum.hexdigest else NOT_CANONICAL


def _sha256(hexdigest: str) -> Checksum:
    return Checksum("sha256", "content", hexdigest)


def _gz_md5(hexdigest: str) -> Checksum:
    return Checksum("md5", "gz", hexdigest)


# Canonical file name (as distributed, gzip) -> checksum.
MNIST_CHECKSUMS: dict[str, Checksum] = {
    "train-images-idx3-ubyte.gz": _sha256(
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    ),
    "train-labels-idx1-ubyte.gz": _sha256(
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
    ),
    "t10k-images-idx3-ubyte.gz": _sha256(
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    ),
    "t10k-labels-idx1-ubyte.gz": _sha256(
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
    ),
}

# MD5 of the .gz files as listed in the zalandoresearch/fashion-mnist README (see module doc).
FASHION_MNIST_CHECKSUMS: dict[str, Checksum] = {
    "train-images-idx3-ubyte.gz": _gz_md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
    "train-labels-idx1-ubyte.gz": _gz_md5("25c81989df183df01b3e8a0aad5dffbe"),
    "t10k-images-idx3-ubyte.gz": _gz_md5("bef4ecab320f06d8554ea6380940ec79"),
    "t10k-labels-idx1-ubyte.gz": _gz_md5("bb300cfdad3c16e7a12a480ee83cd310"),
}
