"""One table per recognizer of the §A9 kinds of PI, with match and no-match rows.

Every row runs through the fast engine and through both regex modules (``re`` for the fast path,
``regex`` for Presidio), so a pattern that behaves differently in the two fails here.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
import regex

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import ATTRIBUTE_RECOGNIZERS, default_recognizers

AS_OF = dt.date(2026, 3, 15)
ALL = FastEngine(default_recognizers(AS_OF))
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
BCRYPT = "$2b$12$KIXQJ9l5hZ3Yb8m2v3Q6UeX1y0Zp7Jq8RkS9tU0vW1xY2zA3bC4dE"

# (entity, cell text, column names, expected: the entity is found)
ROWS: list[tuple[str, str, tuple[str, ...], bool]] = [
    # IP addresses: not version strings, not loopback, not times
    ("IP_ADDRESS", "192.168.1.20", (), True),
    ("IP_ADDRESS", "登录IP：61.135.169.121", (), True),
    ("IP_ADDRESS", "2001:db8::8a2e:370:7334", (), True),
    ("IP_ADDRESS", "1.2.3.4", (), False),
    ("IP_ADDRESS", "10.0.19041.1", (), False),
    ("IP_ADDRESS", "256.1.1.1", (), False),
    ("IP_ADDRESS", "127.0.0.1", (), False),
    ("IP_ADDRESS", "12:30:45", (), False),
    ("IP_ADDRESS", "::1", (), False),
    # MAC addresses
    ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", (), True),
    ("MAC_ADDRESS", "a4-5e-60-e8-1b-2c", (), True),
    ("MAC_ADDRESS", "00:00:00:00:00:00", (), False),
    ("MAC_ADDRESS", "00:1A:2B:3C:4D", (), False),
    ("MAC_ADDRESS", "1234.5678.9012", (), False),
    # IMEI / MEID: Luhn, reporting body, device context required
    ("IMEI", "861234567890127", ("imei",), True),
    ("IMEI", "设备串号 861234567890127", (), True),
    ("IMEI", "A0000012345678", ("meid",), True),
    ("IMEI", "861234567890127", ("order_no",), False),
    ("IMEI", "861234567890128", ("imei",), False),
    ("IMEI", "111111111111111", ("imei",), False),
    # advertising / device IDs: device-named column only
    ("DEVICE_ID", "a1b2c3d4e5f60718", ("android_id",), True),
    ("DEVICE_ID", "6D92078A-8246-4BA4-AE5B-76104861E7DC", ("idfa",), True),
    ("DEVICE_ID", "6D92078A-8246-4BA4-AE5B-76104861E7DC", ("row_uuid",), False),
    ("DEVICE_ID", "00000000-0000-0000-0000-000000000000", ("idfa",), False),
    ("DEVICE_ID", "1234567890123456", ("device_id",), False),
    # WeChat openid / unionid
    ("WECHAT_OPENID", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", (), True),
    ("WECHAT_OPENID", "o6_bmjrPTlm6_2sgVt7hMZOPfL88", (), True),
    ("WECHAT_OPENID", "oooooooooooooooooooooooooooo", (), False),
    ("WECHAT_OPENID", "o1234567890abcdef1234567890a", (), False),
    ("WECHAT_OPENID", "xUpF8uMuAJO_M2pxb1Q9zNjWeS6o", (), False),
    # QQ numbers: only where QQ is said
    ("QQ_NUMBER", "12345678", ("qq",), True),
    ("QQ_NUMBER", "QQ：876543210", (), True),
    ("QQ_NUMBER", "12345678", ("score",), False),
    ("QQ_NUMBER", "12345678@qq.com", (), False),
    ("QQ_NUMBER", "01234567", ("qq",), False),
    # JWT and bearer tokens
    ("AUTH_TOKEN", JWT, (), True),
    ("AUTH_TOKEN", "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543ab12", (), True),
    ("AUTH_TOKEN", "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", (), False),
    ("AUTH_TOKEN", "bearer of bad news", (), False),
    # password hashes
    ("PASSWORD_HASH", BCRYPT, (), True),
    ("PASSWORD_HASH", "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", (), True),
    ("PASSWORD_HASH", "$6$rounds=5000$saltsalt$" + "a" * 40 + "B" * 46, (), True),
    ("PASSWORD_HASH", "$1$abc$1234567890123456789012", (), True),
    ("PASSWORD_HASH", "pbkdf2_sha256$260000$Qp8jIuQyOzw2$kP5o6W6m2dCkWEaTQbLZ0SjfNEGf8oHS8mhmB3a1nmA=", (), True),
    ("PASSWORD_HASH", "5f4dcc3b5aa765d61d8327deb882cf99", ("password",), True),
    ("PASSWORD_HASH", "5f4dcc3b5aa765d61d8327deb882cf99", ("file_md5",), False),
    ("PASSWORD_HASH", "12345678901234567890123456789012", ("pwd",), False),
    ("PASSWORD_HASH", "$2b$12$short", (), False),
    ("PASSWORD_HASH", "价格$5$6$7", (), False),
    # photos
    ("PHOTO", "uploads/avatar/2024/zhang_san.jpg", (), True),
    ("PHOTO", "https://cdn.school.cn/photos/1001.PNG?x=1", (), True),
    ("PHOTO", "data:image/png;base64,iVBORw0KGgo", (), True),
    ("PHOTO", "https://thirdwx.qlogo.cn/mmopen/vi_32/Q0j4TwGTfTK/132", (), True),
    ("PHOTO", "report.pdf", (), False),
    ("PHOTO", "the jpg format", (), False),
    ("PHOTO", "photo.jpgx", (), False),
    # audio / video recordings
    ("MEDIA_RECORDING", "voice/2024/msg_1.amr", (), True),
    ("MEDIA_RECORDING", "https://v.example.cn/class/1.mp4", (), True),
    ("MEDIA_RECORDING", "mp4 is a format", (), False),
    ("MEDIA_RECORDING", "notes.txt", (), False),
    # gender: words and letters; numeric codes only with a gender name
    ("GENDER", "男", (), True),
    ("GENDER", "女性", (), True),
    ("GENDER", "Female", (), True),
    ("GENDER", "M", ("sex",), True),
    ("GENDER", "1", ("xbm",), True),
    ("GENDER", "2", ("gender",), True),
    ("GENDER", "1", ("status",), False),
    ("GENDER", "男孩子们", (), False),
    ("GENDER", "Malaysia", (), False),
    ("GENDER", "12", ("xb",), False),
    # ethnicity
    ("ETHNICITY", "汉族", (), True),
    ("ETHNICITY", "维吾尔族", (), True),
    ("ETHNICITY", "民族：土家族", (), True),
    ("ETHNICITY", "汉", (), False),
    ("ETHNICITY", "水族馆", (), False),
    # religion
    ("RELIGION", "佛教", (), True),
    ("RELIGION", "无宗教信仰", (), True),
    ("RELIGION", "Muslim", (), True),
    ("RELIGION", "宗教", (), False),
    ("RELIGION", "Islamabad", (), False),
    # blood types: 型/Rh written, or a blood-named column
    ("BLOOD_TYPE", "AB型", (), True),
    ("BLOOD_TYPE", "O型血", (), True),
    ("BLOOD_TYPE", "A Rh+", (), True),
    ("BLOOD_TYPE", "Rh阴性", (), True),
    ("BLOOD_TYPE", "O+", ("blood_group",), True),
    ("BLOOD_TYPE", "A+", ("grade",), False),
    ("BLOOD_TYPE", "B", ("class",), False),
    ("BLOOD_TYPE", "ABC型", (), False),
    # health vocabulary
    ("MEDICAL_INFO", "对花生过敏", (), True),
    ("MEDICAL_INFO", "has asthma, carries an inhaler", (), True),
    ("MEDICAL_INFO", "已接种乙肝疫苗", (), True),
    ("MEDICAL_INFO", "今天表现很好", (), False),
    ("MEDICAL_INFO", "Pallergy", (), False),
    # money: only in a fee/balance column or next to such a word
    ("MONEY_AMOUNT", "3000.00", ("tuition_fee",), True),
    ("MONEY_AMOUNT", "学费3000元", (), True),
    ("MONEY_AMOUNT", "¥1,200.50", ("balance",), True),
    ("MONEY_AMOUNT", "3000.00", ("score",), False),
    ("MONEY_AMOUNT", "1.2.3", ("fee",), False),
    # coordinates
    ("GEO_COORDINATES", "39.9042,116.4074", (), True),
    ("GEO_COORDINATES", "POINT(116.4074 39.9042)", (), True),
    ("GEO_COORDINATES", "39.9,116.4", (), False),
    ("GEO_COORDINATES", "139.9042,216.4074", (), False),
    ("GEO_COORDINATES", "0.0000,0.0000", (), False),
    # vehicle plates
    ("VEHICLE_PLATE", "京A12345", (), True),
    ("VEHICLE_PLATE", "粤B·D12345", (), True),
    ("VEHICLE_PLATE", "京AABCDE", (), False),
    ("VEHICLE_PLATE", "京I12345", (), False),
    ("VEHICLE_PLATE", "京A123456", (), False),
    # political affiliation
    ("POLITICAL_AFFILIATION", "共青团员", (), True),
    ("POLITICAL_AFFILIATION", "少先队员", (), True),
    ("POLITICAL_AFFILIATION", "群众", (), True),
    ("POLITICAL_AFFILIATION", "为人民群众服务", (), False),
    ("POLITICAL_AFFILIATION", "团队", (), False),
    # hukou type
    ("HUKOU_TYPE", "农业户口", (), True),
    ("HUKOU_TYPE", "非农业", (), True),
    ("HUKOU_TYPE", "城镇户籍", (), True),
    ("HUKOU_TYPE", "农业", (), False),
    ("HUKOU_TYPE", "现代农业技术", (), False),
]


@pytest.mark.parametrize(("entity", "text", "names", "want"), ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_table(entity: str, text: str, names: tuple[str, ...], want: bool) -> None:
    found = {d.entity for d in ALL.detect_cell(normalize_cell(text), names)}
    assert (entity in found) is want, found
    # the reference loop (one cell, pattern by pattern) agrees with the column path
    ref = {d.entity for d in ALL.detect_cell_reference(normalize_cell(text), names)}
    assert (entity in ref) is want


@pytest.mark.parametrize("cls", ATTRIBUTE_RECOGNIZERS, ids=lambda c: c.__name__)
def test_patterns_agree_between_re_and_regex(cls: type) -> None:
    import re

    rec = cls(AS_OF)
    texts = [unicodedata.normalize("NFKC", t) for e, t, _, _ in ROWS if e == rec.ENTITY]
    assert texts, "every recognizer has rows in the table"
    for p in rec.PATTERNS:
        assert "\\s" not in p.regex and "\\d" not in p.regex, p.name
        for t in texts:
            a = [m.span() for m in re.finditer(p.regex, t)]
            b = [m.span() for m in regex.finditer(p.regex, t)]
            assert a == b, (p.name, t)


def test_every_attribute_entity_is_registered() -> None:
    from pi_scanner.classify.entities import BY_NAME

    assert {c.ENTITY for c in ATTRIBUTE_RECOGNIZERS} <= set(BY_NAME)


@pytest.mark.parametrize("text", ["2025-09-01 08:00:00", "2025/09/01", "08:30"])
def test_money_is_not_a_timestamp_in_a_paid_column(text: str) -> None:
    assert "MONEY_AMOUNT" not in {d.entity for d in ALL.detect_cell(normalize_cell(text), ("paid_at",))}
