"""WeChat openid and unionid: the per-app and per-platform identifiers of a WeChat user."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class WechatOpenidRecognizer(Recognizer):
    """``WECHAT_OPENID``: ``o`` followed by 27 URL-safe base64 characters (openid and unionid alike).

    A random 28-character token starting with ``o`` is rare, but mixed case is required so that words
    and hex digests never pass.
    """

    ENTITY: ClassVar[str] = "WECHAT_OPENID"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("openid", r"(?<![0-9A-Za-z_\-])o[0-9A-Za-z_\-]{27}(?![0-9A-Za-z_\-])", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("openid", "unionid", "微信", "wechat", "weixin", "wx")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Upper and lower case letters, and a digit or ``_``/``-``, must all occur."""
        body = text[1:]
        if not (any(c.isupper() for c in body) and any(c.islower() for c in body)):
            return None
        if not any(c.isdigit() or c in "_-" for c in body):
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """Case matters in an openid."""
        return text
