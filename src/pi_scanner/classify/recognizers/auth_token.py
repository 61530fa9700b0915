"""Bearer credentials: JSON Web Tokens and ``Bearer`` tokens."""

from __future__ import annotations

import base64
import binascii
import json
from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer, mask_value

_NO_FACTS = Facts()


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


class AuthTokenRecognizer(Recognizer):
    """``AUTH_TOKEN``: a JWT whose header decodes to JSON naming an ``alg``, or an HTTP ``Bearer`` token."""

    ENTITY: ClassVar[str] = "AUTH_TOKEN"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "jwt",
            r"(?<![0-9A-Za-z_\-.])eyJ[0-9A-Za-z_\-]{8,2048}\.eyJ[0-9A-Za-z_\-]{8,8192}\.[0-9A-Za-z_\-]{0,1024}"
            r"(?![0-9A-Za-z_\-])",
            0.8,
        ),
        PatternDef("bearer", r"(?<![0-9A-Za-z])[Bb]earer [0-9A-Za-z._~+/\-]{20,2048}=*(?![0-9A-Za-z._~+/\-=])", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("token", "authorization", "jwt", "令牌", "session")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """JWT: the header is JSON with ``alg``; bearer: letters and digits both occur."""
        if pattern.name == "jwt":
            header = _b64url_json(text.split(".", 1)[0])
            return _NO_FACTS if isinstance(header, dict) and "alg" in header else None
        token = text[7:]
        return _NO_FACTS if any(c.isdigit() for c in token) and any(c.isalpha() for c in token) else None

    def normalize(self, text: str) -> str:
        """The token as written."""
        return text

    def mask(self, text: str) -> str:
        """Only a short head: a token's tail is as secret as its body."""
        return mask_value(text, keep_head=6, keep_tail=0)
