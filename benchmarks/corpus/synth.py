"""Synthetic, valid, deterministic values for the real-schema corpus (never a real person's data).

Every system's ``generate.py`` draws its rows from one :class:`Synth` (seeded by the loader) and hands
them back in a :class:`Rows`, which also keeps the ground truth of the exact child-row count: the rows
marked ``dated`` whose subject is a child on ``as_of`` (pi-scanner's ``legal`` rule: a child through the
14th birthday inclusive).

Identifiers are checksummed (GB 11643 resident IDs, Luhn IMEIs) and consistent within a person (the ID
carries the birth date and sex); names, phones and addresses are drawn from small fixed lists, so the
values are realistic in shape and belong to no one.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import pathlib
import string
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any, Literal

from pi_scanner.classify.corpus import luhn_complete, ric
from pi_scanner.classify.dates import age_years, anniversary, is_child

Kind = Literal["child", "teen", "parent", "staff", "adult"]

# Age ranges (completed years on as_of) per kind of person.
_AGES: dict[str, tuple[int, int]] = {"child": (3, 13), "teen": (14, 17), "parent": (27, 52), "staff": (22, 62),
                                     "adult": (18, 80)}
_REGIONS = ("110105", "110108", "310115", "440305", "330106", "510107", "420106", "320102", "370202", "610113",
            "500103", "350203", "430104", "210102", "130102", "410105")
_REGION_ZH = {"110105": ("北京市", "朝阳区"), "110108": ("北京市", "海淀区"), "310115": ("上海市", "浦东新区"),
              "440305": ("广东省深圳市", "南山区"), "330106": ("浙江省杭州市", "西湖区"),
              "510107": ("四川省成都市", "武侯区"), "420106": ("湖北省武汉市", "武昌区"),
              "320102": ("江苏省南京市", "玄武区"), "370202": ("山东省青岛市", "市南区"),
              "610113": ("陕西省西安市", "雁塔区"), "500103": ("重庆市", "渝中区"),
              "350203": ("福建省厦门市", "思明区"),
              "430104": ("湖南省长沙市", "岳麓区"), "210102": ("辽宁省沈阳市", "和平区"),
              "130102": ("河北省石家庄市", "长安区"), "410105": ("河南省郑州市", "金水区")}
_REGION_EN = {"110105": ("Chaoyang District", "Beijing"), "110108": ("Haidian District", "Beijing"),
              "310115": ("Pudong New Area", "Shanghai"), "440305": ("Nanshan District", "Shenzhen"),
              "330106": ("Xihu District", "Hangzhou"), "510107": ("Wuhou District", "Chengdu"),
              "420106": ("Wuchang District", "Wuhan"), "320102": ("Xuanwu District", "Nanjing"),
              "370202": ("Shinan District", "Qingdao"), "610113": ("Yanta District", "Xi'an"),
              "500103": ("Yuzhong District", "Chongqing"), "350203": ("Siming District", "Xiamen"),
              "430104": ("Yuelu District", "Changsha"), "210102": ("Heping District", "Shenyang"),
              "130102": ("Chang'an District", "Shijiazhuang"), "410105": ("Jinshui District", "Zhengzhou")}
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                    "157", "158", "159", "166", "177", "180", "181", "182", "185", "186", "187", "188", "189",
                    "191", "198", "199")
_SURNAMES = (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
             ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
             ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"),
             ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"),
             ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"),
             ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"), ("潘", "Pan"), ("蒋", "Jiang"),
             ("蔡", "Cai"), ("余", "Yu"), ("杜", "Du"), ("叶", "Ye"), ("程", "Cheng"), ("苏", "Su"), ("魏", "Wei"),
             ("欧阳", "Ouyang"), ("司马", "Sima"))
_GIVEN_M = (("子轩", "Zixuan"), ("浩宇", "Haoyu"), ("宇轩", "Yuxuan"), ("奕辰", "Yichen"), ("俊杰", "Junjie"),
            ("浩然", "Haoran"), ("思远", "Siyuan"), ("文博", "Wenbo"), ("明", "Ming"), ("伟", "Wei"),
            ("强", "Qiang"), ("磊", "Lei"), ("建华", "Jianhua"), ("国强", "Guoqiang"), ("志明", "Zhiming"),
            ("晓东", "Xiaodong"), ("涛", "Tao"), ("博文", "Bowen"), ("天佑", "Tianyou"), ("沐阳", "Muyang"))
_GIVEN_F = (("一诺", "Yinuo"), ("欣怡", "Xinyi"), ("梓涵", "Zihan"), ("雨桐", "Yutong"), ("佳怡", "Jiayi"),
            ("诗涵", "Shihan"), ("嘉懿", "Jiayi"), ("芳", "Fang"), ("娜", "Na"), ("静", "Jing"), ("丽娟", "Lijuan"),
            ("海燕", "Haiyan"), ("秀英", "Xiuying"), ("艳", "Yan"), ("若曦", "Ruoxi"), ("可欣", "Kexin"),
            ("紫萱", "Zixuan"), ("梦琪", "Mengqi"), ("晓雯", "Xiaowen"), ("婷", "Ting"))
_EN_FIRST_M = ("Oliver", "Lucas", "Ethan", "Daniel", "Henry", "Noah", "Leo", "James", "Samuel", "Jack", "Ryan",
               "Kevin", "Eric", "David")
_EN_FIRST_F = ("Emily", "Sophia", "Mia", "Chloe", "Grace", "Amelia", "Isla", "Olivia", "Ava", "Lily", "Emma",
               "Hannah", "Zoe", "Sarah")
_EN_LAST = ("Smith", "Brown", "Wong", "Lee", "Taylor", "Kim", "Nguyen", "Müller", "Garcia", "Johnson", "Williams",
            "O'Brien", "Patel", "Tanaka")
_ROADS_ZH = ("建国路", "人民路", "解放大街", "中山路", "学院路", "科技园路", "长江路", "和平里东街", "文化路",
             "滨江大道")
_ROADS_EN = ("Xinyuan South Road", "Jinqiao Road", "Liangmaqiao Road", "Century Avenue", "Shunyi Avenue",
             "Zhongshan Road", "Renmin Road", "Xueyuan Road")
_MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "sina.com", "foxmail.com", "hotmail.com")
_ETHNICITIES = ("汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族",
                "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族",
                "高山族",
                "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族",
                "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族",
                "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族",
                "赫哲族", "门巴族", "珞巴族", "基诺族")
_BLOOD = ("A", "B", "AB", "O")
_ALLERGIES = (("花生过敏", "peanut allergy"), ("青霉素过敏", "penicillin allergy"),
              ("牛奶蛋白过敏", "cow's milk protein allergy"), ("鸡蛋过敏", "egg allergy"),
              ("海鲜过敏", "shellfish allergy"), ("花粉过敏", "pollen allergy"), ("尘螨过敏", "dust mite allergy"),
              ("芒果过敏", "mango allergy"), ("头孢类药物过敏", "cephalosporin allergy"))
_MEDICAL = (("哮喘，随身携带沙丁胺醇气雾剂", "Asthma; carries a salbutamol inhaler"),
            ("先天性心脏病术后，避免剧烈运动", "Post-surgery congenital heart disease; avoid strenuous exercise"),
            ("1型糖尿病，午餐前需测血糖", "Type 1 diabetes; blood glucose check before lunch"),
            ("癫痫病史，按时服用丙戊酸钠", "History of epilepsy; takes sodium valproate"),
            ("轻度近视，已配镜", "Mild myopia, wears glasses"),
            ("注意力缺陷多动障碍（ADHD），有个别化教育计划", "ADHD; has an individual education plan"),
            ("湿疹，需使用保湿霜", "Eczema; needs moisturiser"),
            ("上周患水痘，已痊愈返校", "Had chickenpox last week, recovered and back at school"))
_TEACHER_ZH = ("该生学习认真，上课积极发言，作业书写工整。", "性格开朗，乐于助人，但数学计算需加强。",
               "本学期进步明显，希望继续保持。", "上课注意力不够集中，需要家长配合督促。",
               "热爱劳动，团结同学，是老师的好帮手。",
               "阅读习惯良好，作文有创意，希望多练习口语表达。")
_TEACHER_EN = ("A conscientious pupil who participates actively in class.", "Cheerful and helpful; needs to practise"
               " mental arithmetic.", "Has made clear progress this term; keep it up.", "Finds it hard to concentrate;"
               " please support reading at home.", "A kind classmate and a keen reader with creative writing.")
_MESSAGE_ZH = ("老师您好，我家孩子今年{age}岁，{name}明天发烧请假一天，谢谢！",
               "王老师，{name}今年{age}岁了，想咨询一下课外班的安排。",
               "您好，孩子{age}岁，最近晚上咳嗽，明天体育课能否请假？",
               "老师，{name}（{age}岁）今天下午由外婆接，麻烦了。")
_MESSAGE_EN = ("Hi, my son {name} is {age} years old and will be absent tomorrow with a fever.",
               "Hello, {name} is {age} and would like to join the after-school club.",
               "Dear teacher, my daughter ({age}) has a cough; could she skip PE this week?",
               "{name} ({age} years old) will be picked up by her grandmother today.")
_PLATE_PROV = "京沪粤浙苏川鄂鲁陕渝闽湘辽冀豫"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"
_URLSAFE = string.ascii_letters + string.digits + "-_"
_BCRYPT64 = "./" + string.ascii_uppercase + string.ascii_lowercase + string.digits
_B64 = string.ascii_letters + string.digits + "+/"
_HEX = "0123456789abcdef"
_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in (chr(i) for i in range(0x21, 0x7F))} | {" ": "\u3000"}


@dataclass(frozen=True)
class Person:
    """One synthetic person; every field is consistent with the others (the ID carries DOB and sex).

    Attributes:
        kind: ``child`` (3-13 on as_of), ``teen`` (14-17), ``parent``, ``staff`` or ``adult``.
        dob: Date of birth.
        sex: ``M`` or ``F``.
        name_zh: Chinese full name (surname + given name).
        surname_zh: Chinese surname.
        given_zh: Chinese given name.
        name_pinyin: ``Surname Given`` in pinyin.
        first_en: First name in Latin letters (an English name or the pinyin given name).
        last_en: Last name in Latin letters.
        name_en: ``first_en last_en``.
        ric: 18-digit resident ID number (GB 11643, valid check character).
        ric15: The old 15-digit form of the same number (real only for births before 2000, when 15-digit
            IDs were last issued; for later births it is the same truncation, as broken imports hold it).
        student_no: 学籍号 (``G`` + ric) for children and teens, else None.
        mobile: Chinese mobile number (11 digits).
        email: Personal e-mail address.
        address_zh: Home address in Chinese.
        address_en: Home address in English.
        openid: WeChat openid (``o`` + 27 url-safe characters).
        unionid: WeChat unionid.
        qq: QQ number.
    """

    kind: str
    dob: dt.date
    sex: str
    name_zh: str
    surname_zh: str
    given_zh: str
    name_pinyin: str
    first_en: str
    last_en: str
    name_en: str
    ric: str
    ric15: str
    student_no: str | None
    mobile: str
    email: str
    address_zh: str
    address_en: str
    openid: str
    unionid: str
    qq: str


class Synth:
    """Value makers over one seeded generator: the same seed always gives the same values.

    Attributes:
        rng: The generator; ``generate.py`` takes every other random choice from it too.
        as_of: Reference date for ages.
    """

    def __init__(self, seed: int, as_of: dt.date) -> None:
        self.rng = Random(seed)
        self.as_of = as_of

    # --- people -----------------------------------------------------------------------------------------

    def dob(self, kind: str) -> dt.date:
        """A birth date giving an age in the kind's range on ``as_of`` (never a birthday on ``as_of``)."""
        if kind not in _AGES:
            raise ValueError(f"unknown kind of person {kind!r}; one of {sorted(_AGES)}")
        lo, hi = _AGES[kind]
        # Born after the (hi+1)th anniversary before as_of and before the lo-th one: age in [lo, hi].
        earliest = anniversary(self.as_of, -(hi + 1)) + dt.timedelta(days=1)
        latest = anniversary(self.as_of, -lo) - dt.timedelta(days=1)
        return earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def person(self, kind: str) -> Person:
        """A new person of ``kind`` (child, teen, parent, staff, adult)."""
        r = self.rng
        dob = self.dob(kind)
        sex = r.choice("MF")
        surname, surname_py = r.choice(_SURNAMES)
        given, given_py = r.choice(_GIVEN_M if sex == "M" else _GIVEN_F)
        if r.random() < 0.4:
            first = r.choice(_EN_FIRST_M if sex == "M" else _EN_FIRST_F)
            last = r.choice(_EN_LAST) if r.random() < 0.3 else surname_py
        else:
            first, last = given_py, surname_py
        region = r.choice(_REGIONS)
        rid = self.ric_for(dob, sex, region)
        handle = "".join(r.choice(string.ascii_lowercase) for _ in range(r.randrange(4, 9)))
        return Person(
            kind=kind, dob=dob, sex=sex, name_zh=surname + given, surname_zh=surname, given_zh=given,
            name_pinyin=f"{surname_py} {given_py}", first_en=first, last_en=last, name_en=f"{first} {last}",
            ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid if kind in ("child", "teen") else None,
            mobile=self.mobile(), email=f"{handle}{r.randrange(100)}@{r.choice(_MAIL_DOMAINS)}",
            address_zh=self._address_zh(region), address_en=self._address_en(region),
            openid=self.openid(), unionid=self.openid(), qq=self.qq(),
        )

    def ric_for(self, dob: dt.date, sex: str, region: str | None = None) -> str:
        """An 18-digit resident ID for this birth date and sex (odd 17th digit for men)."""
        seq = self.rng.randrange(500) * 2 + (1 if sex == "M" else 0)
        return ric(region or self.rng.choice(_REGIONS), dob, seq)

    def age(self, person: Person) -> int:
        """Completed years on ``as_of``."""
        return age_years(person.dob, self.as_of)

    def test_account(self) -> Person:
        """A test/demo account as left in real installs: placeholder name, well-known phone and mail."""
        r = self.rng
        name = r.choice(("测试", "测试账号", "test01", "admin", "演示用户"))
        dob = dt.date(1990, 1, 1)
        rid = ric("110101", dob, 1)
        return Person(
            kind="adult", dob=dob, sex="M", name_zh=name, surname_zh=name[:1], given_zh=name[1:],
            name_pinyin="Ce Shi", first_en="Test", last_en="User", name_en="Test User", ric=rid,
            ric15=rid[:6] + rid[8:17], student_no=None, mobile=r.choice(("13800138000", "13912345678", "18888888888")),
            email=r.choice(("test@test.com", "admin@example.com", "demo@demo.com")), address_zh="测试地址",
            address_en="Test address", openid=self.openid(), unionid=self.openid(), qq="10000",
        )

    # --- contacts and places ----------------------------------------------------------------------------

    def mobile(self) -> str:
        """An 11-digit Chinese mobile number."""
        return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self) -> str:
        """A Chinese landline with area code (``010-62345678``)."""
        area = self.rng.choice(("010", "021", "0755", "0571", "028", "027", "025"))
        return f"{area}-{self.rng.randrange(2, 9)}{self.rng.randrange(10**7):07d}"

    def _address_zh(self, region: str) -> str:
        r = self.rng
        prov, dist = _REGION_ZH[region]
        return (f"{prov}{dist}{r.choice(_ROADS_ZH)}{r.randrange(1, 300)}号"
                f"{r.randrange(1, 30)}栋{r.randrange(1, 6)}单元{r.randrange(1, 30)}0{r.randrange(1, 5)}室")

    def _address_en(self, region: str) -> str:
        r = self.rng
        dist, city = _REGION_EN[region]
        return (f"Apt {r.randrange(1, 30)}0{r.randrange(1, 5)}, Building {r.randrange(1, 20)}, "
                f"{r.randrange(1, 200)} {r.choice(_ROADS_EN)}, {dist}, {city}")

    def coordinates(self) -> tuple[float, float]:
        """(latitude, longitude) inside mainland China, 6 decimals."""
        return round(self.rng.uniform(22.5, 40.5), 6), round(self.rng.uniform(103.5, 121.5), 6)

    def plate(self) -> str:
        """A Chinese licence plate (``京A12345``; new-energy plates have 6 characters after the letter)."""
        r = self.rng
        tail_len = 6 if r.random() < 0.2 else 5
        tail = "".join(r.choice(string.digits + _PLATE_LETTERS[:8]) for _ in range(tail_len))
        return r.choice(_PLATE_PROV) + r.choice(_PLATE_LETTERS) + tail

    # --- online and device identifiers ------------------------------------------------------------------

    def openid(self) -> str:
        """A WeChat openid/unionid shape: ``o`` + 27 url-safe characters."""
        return "o" + "".join(self.rng.choice(_URLSAFE) for _ in range(27))

    def qq(self) -> str:
        """A QQ number (5-11 digits, no leading zero)."""
        return str(self.rng.randrange(10_000, 10**self.rng.randrange(6, 12)))

    def ip4(self) -> str:
        """A public-looking IPv4 address."""
        r = self.rng
        return f"{r.choice((36, 58, 61, 101, 112, 114, 117, 120, 183, 202, 218, 222))}.{r.randrange(256)}." \
               f"{r.randrange(256)}.{r.randrange(1, 255)}"

    def ip6(self) -> str:
        """A global IPv6 address (2400::/12, Chinese allocations)."""
        return "240e:" + ":".join(f"{self.rng.randrange(0x10000):x}" for _ in range(7))

    def mac(self) -> str:
        """A MAC address (``3c:22:fb:..``)."""
        return ":".join(f"{self.rng.randrange(256):02x}" for _ in range(6))

    def imei(self) -> str:
        """A 15-digit IMEI with a valid Luhn check digit."""
        return luhn_complete("86" + "".join(str(self.rng.randrange(10)) for _ in range(12)))

    def _uuid(self) -> str:
        h = "".join(self.rng.choice(_HEX) for _ in range(32))
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:]}"

    def uuid(self) -> str:
        """A random (version 4) UUID string."""
        return self._uuid()

    def idfa(self) -> str:
        """An Apple IDFA/IDFV (upper-case UUID)."""
        return self._uuid().upper()

    def android_id(self) -> str:
        """An Android ID (16 hex digits)."""
        return "".join(self.rng.choice(_HEX) for _ in range(16))

    def oaid(self) -> str:
        """An OAID (a UUID or 64 hex digits, as vendors emit them)."""
        if self.rng.random() < 0.5:
            return self._uuid()
        return "".join(self.rng.choice(_HEX) for _ in range(64))

    # --- credentials ------------------------------------------------------------------------------------

    def _chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def bcrypt(self) -> str:
        """A bcrypt hash shape (``$2y$10$`` + 53 characters)."""
        return f"${self.rng.choice(('2y', '2a', '2b'))}$10${self._chars(_BCRYPT64, 53)}"

    def argon2(self) -> str:
        """An argon2id hash shape (PHC string)."""
        return (f"$argon2id$v=19$m=65536,t=4,p=1${self._chars(_B64, 22)}${self._chars(_B64, 43)}")

    def sha_crypt(self) -> str:
        """A SHA-512 crypt hash shape (``$6$salt$hash``)."""
        return f"$6${self._chars(_BCRYPT64, 16)}${self._chars(_BCRYPT64, 86)}"

    def md5_hex(self) -> str:
        """32 hex digits (an MD5 password hash as many PHP systems store it)."""
        return self._chars(_HEX, 32)

    def sha1_hex(self) -> str:
        """40 hex digits."""
        return self._chars(_HEX, 40)

    def token(self, n: int = 32) -> str:
        """A session / API / reset token (url-safe)."""
        return self._chars(_URLSAFE, n)

    def jwt(self, subject: str | int = 1) -> str:
        """A JWT shape: real base64url JSON header and payload, random signature."""
        def enc(obj: dict[str, Any]) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()

        iat = int(dt.datetime.combine(self.as_of, dt.time(8)).timestamp()) - self.rng.randrange(86400 * 30)
        return ".".join((enc({"alg": "HS256", "typ": "JWT"}), enc({"sub": str(subject), "iat": iat,
                                                                   "exp": iat + 7200}),
                         self._chars(_URLSAFE, 43)))

    # --- images, money, attributes ----------------------------------------------------------------------

    def photo_path(self, folder: str = "avatar") -> str:
        """A relative upload path of a person's photo."""
        d = self.date_between(dt.date(2019, 1, 1), self.as_of)
        return f"uploads/{folder}/{d:%Y/%m}/{self._chars(_HEX, 20)}.{self.rng.choice(('jpg', 'png', 'jpeg'))}"

    def photo_url(self, folder: str = "avatar") -> str:
        """An absolute URL of a person's photo on a CDN."""
        host = self.rng.choice(("cdn.xiaoyuan-demo.cn", "img.edu-demo.cn", "static.kids-demo.com"))
        return f"https://{host}/{self.photo_path(folder)}"

    def money(self, lo: float = 10, hi: float = 20000) -> Decimal:
        """An amount with two decimals."""
        return Decimal(self.rng.randrange(int(lo * 100), int(hi * 100) + 1)) / 100

    def ethnicity(self) -> str:
        """One of the 56 recognised ethnic groups (Han most of the time, as in real rolls)."""
        return "汉族" if self.rng.random() < 0.9 else self.rng.choice(_ETHNICITIES[1:])

    def blood_type(self, zh: bool = False) -> str:
        """ABO blood type (``A`` or ``A型``), sometimes with the Rh factor."""
        t = self.rng.choice(_BLOOD)
        if zh:
            return f"{t}型"
        return t + ("+" if self.rng.random() < 0.97 else "-") if self.rng.random() < 0.5 else t

    def allergy_zh(self) -> str:
        """An allergy in Chinese."""
        return self.rng.choice(_ALLERGIES)[0]

    def allergy_en(self) -> str:
        """An allergy in English."""
        return self.rng.choice(_ALLERGIES)[1]

    def medical_note_zh(self) -> str:
        """A medical note in Chinese."""
        return self.rng.choice(_MEDICAL)[0]

    def medical_note_en(self) -> str:
        """A medical note in English."""
        return self.rng.choice(_MEDICAL)[1]

    def teacher_comment_zh(self) -> str:
        """A teacher's evaluation (评语) in Chinese."""
        return self.rng.choice(_TEACHER_ZH)

    def teacher_comment_en(self) -> str:
        """A teacher's report comment in English."""
        return self.rng.choice(_TEACHER_EN)

    def parent_message_zh(self, child: Person) -> str:
        """A parent's message in Chinese that states the child's age."""
        return self.rng.choice(_MESSAGE_ZH).format(age=self.age(child), name=child.given_zh)

    def parent_message_en(self, child: Person) -> str:
        """A parent's message in English that states the child's age."""
        return self.rng.choice(_MESSAGE_EN).format(age=self.age(child), name=child.first_en)

    # --- dates --------------------------------------------------------------------------------------------

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        """A date in [start, end]."""
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def datetime_between(self, start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> dt.datetime:
        """A datetime (whole seconds) in [start, end]."""
        a = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
        b = end if isinstance(end, dt.datetime) else dt.datetime.combine(end, dt.time())
        return a + dt.timedelta(seconds=self.rng.randrange(int((b - a).total_seconds()) + 1))

    # --- real-world mess ----------------------------------------------------------------------------------

    @staticmethod
    def excel_id(number: str) -> str:
        """An ID number as Excel corrupts it: ``110105201001011234`` -> ``1.10105E+17``."""
        digits = number.rstrip("Xx")
        return f"{float(digits):.5E}".replace("E+0", "E+")

    @staticmethod
    def fullwidth(s: str) -> str:
        """``s`` with ASCII digits, letters and punctuation in their full-width forms."""
        return "".join(_FULLWIDTH.get(c, c) for c in s)

    def trailing(self, s: str) -> str:
        """``s`` with trailing blanks, as fixed-width exports leave it."""
        return s + self.rng.choice((" ", "  ", "   ", "\t", "\u3000"))

    def maybe(self, value: Any, p_null: float = 0.5) -> Any:
        """``value``, or None with probability ``p_null``."""
        return None if self.rng.random() < p_null else value


class Rows:
    """Generated rows per table, with the subject of each row (the truth of the exact child-row count)."""

    def __init__(self) -> None:
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._truth: dict[str, list[tuple[Person | None, bool]]] = {}

    def add(self, table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        """Append one row.

        Args:
            table: Table name exactly as in schema.json.
            row: Column name -> value; missing columns take their default (or NULL).
            subject: The person the row is about, if any.
            dated: The row itself carries the subject's birth date or ID number.
        """
        if dated and subject is None:
            raise ValueError(f"{table}: a dated row needs its subject")
        self._rows.setdefault(table, []).append(row)
        self._truth.setdefault(table, []).append((subject, dated))

    def __iter__(self) -> Iterator[str]:
        """Table names, in the order their first row was added."""
        return iter(self._rows)

    def __getitem__(self, table: str) -> list[dict[str, Any]]:
        return self._rows.get(table, [])

    def __len__(self) -> int:
        return sum(len(v) for v in self._rows.values())

    def items(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(table, rows) pairs."""
        return iter(self._rows.items())

    def dated_rows(self) -> dict[str, int]:
        """Per table, how many rows carry their subject's birth date or ID number (tables with none left out)."""
        out = {t: sum(1 for _, dated in truth if dated) for t, truth in self._truth.items()}
        return {t: n for t, n in out.items() if n}

    def child_rows(self, as_of: dt.date) -> dict[str, int]:
        """Per table with dated rows, how many of them are about a child on ``as_of`` (legal rule).

        Returns:
            Table -> count (0 included for tables with dated rows but no child among them).
        """
        return {
            t: sum(1 for subject, dated in truth if dated and subject is not None and is_child(subject.dob, as_of))
            for t, truth in self._truth.items()
            if any(dated for _, dated in truth)
        }


def not_null_columns(schema_json: pathlib.Path) -> dict[str, list[tuple[str, str]]]:
    """Each table's NOT NULL columns ``(name, upstream type)`` from a system's ``schema.json``."""
    schema = json.loads(schema_json.read_text(encoding="utf-8"))
    return {t["name"]: [(c["name"], c["type"]) for c in t["columns"] if not c["nullable"]] for t in schema["tables"]}


def not_null_default(ctype: str, today: dt.date) -> Any:
    """A neutral value for a NOT NULL column a generator does not set (what the application writes)."""
    t = ctype.split("(")[0]
    if t == "enum":
        return ctype[ctype.index("'") + 1:ctype.index("'", ctype.index("'") + 1)]
    if t in ("int", "integer", "bigint", "smallint", "tinyint", "mediumint", "numeric", "decimal", "float", "double"):
        return 0
    if t == "date":
        return today.isoformat()
    if t in ("timestamp", "datetime"):
        return f"{today.isoformat()} 08:00:00"
    if t == "time":
        return "08:00:00"
    return ""
