"""E-mail addresses, recognised offline (no public-suffix download)."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Facts of a match that says nothing beyond its type (shared: Facts is frozen, building one costs).
_NO_FACTS = Facts()

#: Top-level "domains" that are really file extensions (``icon@2x.png``, ``report@v2.php``).
_FILE_EXTENSIONS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "ico", "php", "js", "css", "html", "htm",
        "json", "xml", "txt", "csv", "pdf", "doc", "docx", "xls", "xlsx", "zip", "gz", "tar", "py",
        "java", "log", "md", "yml", "yaml", "ini", "cfg", "tmp", "bak",
    }
)  # fmt: skip


class EmailRecognizer(Recognizer):
    """``EMAIL_ADDRESS``: local part, ``@``, dotted domain, alphabetic top-level domain.

    Lengths are bounded (64 and 253, RFC 5321) so no input makes the pattern backtrack for long.
    """

    ENTITY: ClassVar[str] = "EMAIL_ADDRESS"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "email",
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-][A-Za-z0-9.\-]{0,251}\.[A-Za-z]{2,24}"
            r"(?![A-Za-z0-9\-])",
            0.7,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("邮箱", "电子邮件", "email", "mail", "yx", "dzyx")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject empty labels, hyphen-edged labels, dot-edged local parts and file-name TLDs."""
        local, _, domain = text.rpartition("@")
        if not local or local[0] == "." or local[-1] == "." or ".." in local:
            return None
        # The pattern guarantees a non-empty domain ending in ``.letters``; what is left to reject
        # are empty labels and labels starting or ending with a hyphen (plain substring tests).
        if domain[0] in ".-" or ".." in domain or "-." in domain or ".-" in domain:
            return None
        if domain[domain.rfind(".") + 1 :].lower() in _FILE_EXTENSIONS:
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """Lower-cased address."""
        return text.lower()
