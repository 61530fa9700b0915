"""Voice and video recordings of a person: audio and video file names, paths and URLs."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer
from pi_scanner.classify.recognizers.photo import PATH_CHARS

_NO_FACTS = Facts()
_MEDIA_EXT = r"(?:mp3|wav|amr|m4a|aac|ogg|silk|opus|mp4|mov|avi|3gp|flv|mkv|webm|MP3|WAV|AMR|M4A|MP4|MOV|AVI)"


class MediaRecordingRecognizer(Recognizer):
    """``MEDIA_RECORDING``: a reference to an audio or video file (kept only in people's tables)."""

    ENTITY: ClassVar[str] = "MEDIA_RECORDING"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("file", r"(?<![0-9A-Za-z_\-./%])" + PATH_CHARS + r"\." + _MEDIA_EXT + r"(?![0-9A-Za-z])", 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("voice", "audio", "video", "录音", "语音", "视频", "recording")

    def normalize(self, text: str) -> str:
        """The reference as written."""
        return text
