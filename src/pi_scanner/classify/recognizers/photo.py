"""Photos of a person: image file names, paths and URLs, inline ``data:image`` and WeChat avatar URLs."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
#: Characters of a path or URL before the extension (bounded, so a long cell cannot make it backtrack).
PATH_CHARS = r"[0-9A-Za-z_\-./:%~+=?&@\u4e00-\u9fff]{0,200}"
_IMAGE_EXT = r"(?:jpe?g|png|gif|bmp|webp|heic|heif|tiff?|JPE?G|PNG|GIF|BMP|WEBP|HEIC|TIFF?)"


class PhotoRecognizer(Recognizer):
    """``PHOTO``: a reference to an image (file name, path, URL) or an inline image.

    Whether it is a *person's* photo is the table's business: the classifier keeps ``PHOTO`` only in a
    table whose rows are people (a product's picture is no one's).
    """

    ENTITY: ClassVar[str] = "PHOTO"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("file", r"(?<![0-9A-Za-z_\-./%])" + PATH_CHARS + r"\." + _IMAGE_EXT + r"(?![0-9A-Za-z])", 0.7),
        PatternDef("data", r"(?<![0-9A-Za-z])data:image/(?:png|jpe?g|gif|webp|bmp);base64,", 0.8),
        PatternDef("wx_avatar", r"(?<![0-9A-Za-z])https?://(?:thirdwx|wx)\.qlogo\.cn/[0-9A-Za-z_\-./]{1,300}", 0.8),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("photo", "avatar", "头像", "照片", "相片", "pic", "image", "img")

    def normalize(self, text: str) -> str:
        """The reference as written."""
        return text
