"""Password hashes: self-describing formats anywhere, bare hex digests in a credential-named column."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer, mask_value

_NO_FACTS = Facts()
_HEAD = r"(?<![0-9A-Za-z$./])"
_TAIL = r"(?![0-9A-Za-z./+=$])"


class PasswordHashRecognizer(Recognizer):
    """``PASSWORD_HASH``: bcrypt, argon2, crypt ``$1$``/``$5$``/``$6$``, Django and Werkzeug PBKDF2.

    Each format names its algorithm, so no context is needed.
    """

    ENTITY: ClassVar[str] = "PASSWORD_HASH"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("bcrypt", _HEAD + r"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}" + _TAIL, 0.9),
        PatternDef(
            "argon2",
            _HEAD + r"\$argon2(?:id|i|d)\$v=[0-9]{1,3}\$m=[0-9]{1,8},t=[0-9]{1,4},p=[0-9]{1,3}"
            r"\$[A-Za-z0-9+/]{8,128}\$[A-Za-z0-9+/]{16,256}" + _TAIL,
            0.9,
        ),
        PatternDef(
            "crypt", _HEAD + r"\$[156]\$(?:rounds=[0-9]{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}" + _TAIL, 0.9
        ),
        PatternDef(
            "pbkdf2",
            r"(?<![0-9A-Za-z_])pbkdf2[_:]sha(?:1|256|512)[$:][0-9]{1,7}\$[A-Za-z0-9./+]{1,64}\$[A-Za-z0-9+/=]{20,172}"
            + _TAIL,
            0.9,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("password", "passwd", "pwd", "mima", "密码", "hash")

    def normalize(self, text: str) -> str:
        """The hash as stored."""
        return text

    def mask(self, text: str) -> str:
        """The algorithm prefix only."""
        return mask_value(text, keep_head=4, keep_tail=0)


class HexDigestRecognizer(Recognizer):
    """``PASSWORD_HASH``: an MD5/SHA-1/SHA-256/SHA-512 hex digest where the column or text names a password.

    A bare digest is every file checksum and cache key too, hence the required context.
    """

    ENTITY: ClassVar[str] = "PASSWORD_HASH"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "hex",
            r"(?<![0-9A-Za-z])(?:[0-9a-f]{128}|[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32}|[0-9A-F]{64}|[0-9A-F]{40}"
            r"|[0-9A-F]{32})(?![0-9A-Za-z])",
            0.6,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("password", "passwd", "pwd", "mima", "密码", "口令", "dlmm", "pass")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Letters and digits must both occur (a digest of 32 digits is a number)."""
        if text.isdigit() or not any(c.isdigit() for c in text):
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """Lower-case hex."""
        return text.lower()

    def mask(self, text: str) -> str:
        """Nothing of the digest."""
        return mask_value(text, keep_head=0, keep_tail=0)
