"""Name data (surname list, stop list) and the whole-value name tests re-exported for column decisions."""

from pi_scanner.classify.person_names import (
    looks_like_chinese_name,
    looks_like_latin_name,
    looks_like_person_name,
    split_surname,
)

__all__ = ["looks_like_chinese_name", "looks_like_latin_name", "looks_like_person_name", "split_surname"]
