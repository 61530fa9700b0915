"""The one registry of entity types: what each kind of personal information is and how names hint at it.

Every entity type the classifier can report is declared here once, with

* its **category**: one of the 13 categories of spec §A9 (GB/T 35273-2020 App. A/B, PIPL art. 28), the
  ``category`` field of a column finding, the label of the children's-assets metric and the unit the
  Art. 11 minimisation check compares declared purposes in;
* whether it is **sensitive** PI (GB/T 35273 App. B; a child's PI is sensitive anyway under PIPL art. 28,
  this flag says whether it would be for an adult too);
* whether it **identifies** a person (age text without an identifying value is about no one known);
* its **name hints**: column-name tokens (English words, pinyin initials, full pinyin), two-word English
  pairs and Chinese words, with how strongly the name alone suggests the entity;
* the **articles** of the 2019 Provisions a child's value of this type touches;
* a few column-level facts the classifier needs (contact data an organisation can own, identifiers whose
  validation makes one spill in prose a finding, types a number column cannot hold, types that are PI
  only in a table whose rows are about people).

This module imports nothing from the package, so every layer (column names, recognizers, metrics,
compliance, reports) can read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

#: The §A9 categories, in report order.
CATEGORIES: Final[tuple[str, ...]] = (
    "basic_profile",
    "identity_document",
    "biometric_image",
    "online_identity",
    "device_identifier",
    "credential",
    "health",
    "education_work",
    "financial",
    "communications",
    "location",
    "other_sensitive",
    "free_text",
)

#: Human titles of the categories (standard's Chinese name in brackets), for reports.
CATEGORY_TITLES: Final[dict[str, str]] = {
    "basic_profile": "Basic profile (个人基本资料)",
    "identity_document": "Identity documents (个人身份信息)",
    "biometric_image": "Biometrics and images (生物识别信息)",
    "online_identity": "Online identity (网络身份标识信息)",
    "device_identifier": "Device identifiers (个人常用设备信息)",
    "credential": "Credentials (个人身份鉴别信息)",
    "health": "Health (个人健康生理信息)",
    "education_work": "Education and work (个人教育工作信息)",
    "financial": "Property and finance (个人财产信息)",
    "communications": "Communications (个人通信信息)",
    "location": "Location (个人位置信息)",
    "other_sensitive": "Other sensitive (其他)",
    "free_text": "Free text about a person",
}

#: Category of an entity type this registry does not know (a custom recognizer's, an old catalog's).
UNKNOWN_CATEGORY: Final[str] = "other_sensitive"

#: Articles a child's PI touches: 9 (guardian consent), 11 (minimisation), 12 (retention), 13 (encryption).
CHILD_PI_ARTICLES: Final[tuple[int, ...]] = (9, 11, 12, 13)


@dataclass(frozen=True)
class EntityType:
    """One kind of personal information.

    Attributes:
        name: The entity type as findings carry it (``CN_RESIDENT_ID``).
        category: One of :data:`CATEGORIES`.
        sensitive: Sensitive PI in GB/T 35273 App. B (for anyone, not only children).
        identifying: A value identifies a person (or their household) on its own.
        tokens: Column-name tokens that hint at it: English words, pinyin initials, full pinyin.
        pairs: Two-token English names (``("id", "card")``).
        cjk: Chinese words matched by substring in a name or comment.
        strength: 0..1, how strongly the name alone suggests the entity.
        articles: Articles of the Provisions a child's value of this type touches.
        contact: Contact data an organisation can own (a school's hotline is nobody's PI).
        self_evident: Validation (check digits, embedded date, mail domain) makes one hit in prose a finding.
        text_only: A number-typed column cannot hold it (a ``person_name_id`` integer is a key).
        needs_people: PI only in a table whose rows are about people (a product's ``price`` or
            ``image`` is no one's); the classifier drops it elsewhere.
        coded: A personal attribute often stored as a code or a key into a code table (``gender_id``,
            ``MZM`` 民族码, ``country_id``): the ``_id``/``code`` suffix or a foreign key does not make the
            column a mere link (docs/labelling.md).
    """

    name: str
    category: str
    sensitive: bool = False
    identifying: bool = False
    tokens: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    cjk: tuple[str, ...] = ()
    strength: float = 0.5
    articles: tuple[int, ...] = CHILD_PI_ARTICLES
    contact: bool = False
    self_evident: bool = False
    text_only: bool = False
    needs_people: bool = False
    coded: bool = False


def _t(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _p(words: str) -> tuple[tuple[str, str], ...]:
    out = []
    for pair in words.split(","):
        a, b = pair.split()
        out.append((a, b))
    return tuple(out)


def _id_doc(name: str, **kw: Any) -> EntityType:
    """An identity document: sensitive and identifying."""
    return EntityType(name, "identity_document", sensitive=True, identifying=True, **kw)

#: The registry, in precedence order: when a name hints at several types, earlier ones come first.
ENTITIES: Final[tuple[EntityType, ...]] = (
    # -- identity documents ------------------------------------------------------------------------
    _id_doc("CN_RESIDENT_ID", strength=0.9, self_evident=True,
        tokens=_t("sfzh sfzjh sfz zjhm zjh idcard sfzhm idno idnumber ssn cysfzjh shenfenzheng shenfenzhenghao"),
        pairs=_p("id card,id no,id num,id number,identity card,national id,resident id"),
        cjk=("身份证", "证件号", "公民身份号码"),
    ),
    _id_doc("CN_RESIDENCE_PERMIT", self_evident=True),
    _id_doc("CN_PR_CARD", self_evident=True),
    _id_doc("CN_STUDENT_NUMBER", strength=0.8, self_evident=True, text_only=True,
        tokens=_t("xjh xjfh xh xsxh bzxh xuejihao xuehao"),
        pairs=_p("student no,student number,student num,stu no,student code,xj h,admission no,admission number"),
        cjk=("学籍号", "学号"),
    ),
    _id_doc(
        "PERSON_NUMBER", strength=0.6, needs_people=True, text_only=True,
        tokens=_t("barcode cardnum gh jgh zgh dabh zsbh jszh sbkh ybkh rollno regno xzgh ss mrn pubpid ksh zkzh kaohao "
                  "zhunkaozhenghao gonghao"),
        pairs=_p("library card,employee number,employee no,staff number,staff no,social security,reg no,roll no,"
                 "card num,card number,admission number,registration number,enrolment number,enrollment number,"
                 "drivers license,driver license,driving licence,drivers licence,medical record,record number,"
                 "patient number,chart number,insurance number,policy number,candidate number,candidate no"),
        cjk=("工号", "档案号", "档案编号", "证书编号", "借书证", "一卡通", "社保卡", "医保卡", "驾驶证", "准考证",
             "考生号", "考号"),
    ),
    # -- basic profile -----------------------------------------------------------------------------
    EntityType(
        "CN_MOBILE", "basic_profile", sensitive=True, identifying=True, strength=0.8, contact=True,
        tokens=_t("lxdh dh phone tel telephone lxfs jtdh cylxdh sjh sjhm mobile cellphone cell msisdn "
                  "dianhua shouji shoujihao lianxidianhua"),
        pairs=_p("emergency number"),
        cjk=("手机", "电话", "联系方式"),
    ),
    EntityType(
        "CN_LANDLINE", "basic_profile", sensitive=True, identifying=True, strength=0.6, contact=True,
        tokens=_t("lxdh dh phone tel telephone lxfs jtdh cylxdh fax czdh dianhua lianxidianhua"),
        pairs=_p("emergency number"),
        cjk=("电话", "联系方式"),
    ),
    EntityType(
        "EMAIL_ADDRESS", "basic_profile", identifying=True, strength=0.8, contact=True, self_evident=True,
        text_only=True,
        tokens=_t("email yx dzyx dzxx youxiang"),
        pairs=_p("e mail,mail address,email address"),
        cjk=("邮箱", "电子邮件"),
    ),
    EntityType(
        "CN_ADDRESS", "basic_profile", sensitive=True, identifying=True, strength=0.7, contact=True,
        text_only=True,
        tokens=_t("jtzz xzz zz address addr hkszd jtdz txdz street zhuzhi dizhi jiatingzhuzhi"),
        pairs=_p("birth place,place of,mail address,home address,street address"),
        cjk=("家庭住址", "住址", "地址", "户籍", "户口所在地"),
    ),
    EntityType(
        "PERSON_NAME", "basic_profile", identifying=True, strength=0.7, text_only=True,
        tokens=_t("xm xsxm name fullname surname firstname lastname realname cym ywxm xmpy cyxm xzxm "
                  "principal xingming mingzi xingmingpinyin cengyongming mothersname fathersname guardiansname"),
        pairs=_p("first name,last name,given name,family name,full name,real name,preferred name,"
                 "official name,middle name,name in,legal name,name address"),
        cjk=("姓名", "名字", "曾用名"),
    ),
    EntityType(
        "DATE_OF_BIRTH", "basic_profile", identifying=True, strength=0.9,
        tokens=_t("csrq birth birthday birthdate dob csny born cycsrq chushengriqi shengri"),
        cjk=("出生日期", "出生年月", "生日", "出生"),
    ),
    EntityType(
        "AGE_TEXT", "basic_profile", strength=0.6, tokens=_t("age nl nianling sui zhousui"), cjk=("年龄", "周岁"),
    ),
    EntityType(
        "GUARDIAN_RELATION", "basic_profile", strength=0.5,
        tokens=_t("gxm gx yxsgx relation relationship guanxi"),
        cjk=("与学生关系", "亲属关系", "关系"),
    ),
    EntityType(
        "GENDER", "basic_profile", strength=0.7, coded=True,
        tokens=_t("gender sex xb xbm xingbie"), cjk=("性别",),
    ),
    EntityType(
        "ETHNICITY", "basic_profile", sensitive=True, strength=0.7, coded=True,
        tokens=_t("ethnicity ethnic race mz mzm minzu ethnoracial"), cjk=("民族",),
    ),
    EntityType(
        "NATIONALITY", "basic_profile", strength=0.6, coded=True,
        tokens=_t("nationality citizenship gj gjdq guoji"), cjk=("国籍",),
    ),
    EntityType(
        "NATIVE_PLACE", "basic_profile", strength=0.6, text_only=True, coded=True,
        tokens=_t("jg jgm jiguan hometown csd chushengdi"), pairs=_p("native place"), cjk=("籍贯", "出生地"),
    ),
    EntityType(
        "HUKOU_TYPE", "basic_profile", strength=0.6, coded=True,
        tokens=_t("hklx hkxz hkxzm hjlx hukou hukouxingzhi"), cjk=("户口性质", "户口类型", "户籍性质", "户籍类型"),
    ),
    EntityType(
        "ADDRESS_PART", "basic_profile", strength=0.5, needs_people=True, coded=True,
        tokens=_t("city province county country zip zipcode postcode pincode municipality yzbm csdm "
                  "jtdzyzbm language tongue"),
        pairs=_p("zip code,postal code,pin code,post office,post code,mother tongue,home language,first language,"
                 "home state,mail state,residence state"),
        cjk=("邮编", "邮政编码", "所在城市", "省份", "籍贯省", "母语"),
    ),
    EntityType(
        "FAMILY_MEMBER", "basic_profile", strength=0.5, needs_people=True,
        tokens=_t("jtcy jiatingchengyuan"), pairs=_p("family member,family members,household member"),
        cjk=("家庭成员",),
    ),
    # -- more identity documents (after names and phones, which share hint words) ------------------
    _id_doc("CN_PASSPORT", strength=0.8, text_only=True,
        tokens=_t("passport hzhm huzhao"), pairs=_p("passport no"), cjk=("护照",),
    ),
    _id_doc("CN_TRAVEL_PERMIT"),
    _id_doc("HK_ID", self_evident=True),
    _id_doc("TW_ID", self_evident=True),
    _id_doc("MO_ID"),
    _id_doc("CN_BIRTH_CERTIFICATE", strength=0.9, text_only=True,
        tokens=_t("csyxzm cszm"), pairs=_p("birth cert,birth certificate"), cjk=("出生医学证明", "出生证"),
    ),
    # -- education and work ------------------------------------------------------------------------
    EntityType(
        "GRADE_CLASS", "education_work", strength=0.6, text_only=True,
        tokens=_t("nj bj bh grade njmc bjmc nianji banji"), pairs=_p("class name,class no"), cjk=("年级", "班级"),
    ),
    EntityType(
        "SCHOOL_NAME", "education_work", strength=0.5, text_only=True,
        tokens=_t("xxmc school kindergarten xx xuexiao"), cjk=("学校", "幼儿园"),
    ),
    EntityType(
        "EDUCATION_RECORD", "education_work", strength=0.5, needs_people=True,
        tokens=_t("score scores mark marks exam attendance cj chengji kaoqin pingyu gpa transcript discipline "
                  "behaviour behavior evaluation jcqk jiangcheng chufen xxjl gzjl zwmc xl xw zc zgxl xzzw pjnr ndkh "
                  "jl hjqk pthdj jsjdj gl rznx szbm tc byxx byrq rxrq rxny jyqk education qualification "
                  "qualifications experience finalgrade rawgrade honors honours awards xueli zhicheng "
                  # markbooks, behaviour, homework (English and full pinyin)
                  "attainment effort homework coursework behaviour behavior demerit demerits merits detention "
                  "suspension exclusion absence absences absent tardy conduct zuoye kaoshi defen mingci paiming "
                  "biaoxian qiandao ruxue biye"),
        pairs=_p("admission date,enrollment date,enrolment date,joining date,graduation date,leaving date,"
                 "final grade,raw grade,report card,school history,previous school,attainment value,effort value,"
                 "exam result,test score,grade point"),
        cjk=("成绩", "分数", "考勤", "出勤", "评语", "奖惩", "处分", "学业", "作业", "得分", "名次", "排名", "违纪",
             "综合素质", "学历", "学位", "职称", "签到", "缺勤", "入学", "毕业"),
    ),
    EntityType(
        "OCCUPATION", "education_work", strength=0.5, needs_people=True, coded=True,
        tokens=_t("occupation employer workplace gzdw zhiye gongzuodanwei profession industry designation company "
                  "jobtitle workgroup workduty zhiwu gongzuo"),
        pairs=_p("job title,work unit,employee position,employee category,employee grade,staff position"),
        cjk=("工作单位", "职业", "职务"),
    ),
    # -- biometrics and images ---------------------------------------------------------------------
    EntityType(
        "PHOTO", "biometric_image", sensitive=True, strength=0.7, needs_people=True, text_only=True,
        tokens=_t("photo photos avatar picture pic picurl headimg headimgurl portrait face tx zp touxiang "
                  "zhaopian xiangpian headpic selfie headurl avatarurl"),
        pairs=_p("user image,user img,user photo,user pic,user avatar,head url,face image,face img,student photo,"
                 "student image,child photo,"
                 "head picture,head img,head image,profile image,profile picture,profile photo"),
        cjk=("头像", "照片", "相片", "证件照", "人脸"),
    ),
    EntityType(
        "MEDIA_RECORDING", "biometric_image", sensitive=True, strength=0.6, needs_people=True, text_only=True,
        tokens=_t("voice recording luyin yuyin"), cjk=("录音", "语音"),
    ),
    EntityType(
        "BIOMETRIC", "biometric_image", sensitive=True, strength=0.8,
        tokens=_t("fingerprint biometric biometrics iris zhiwen"), pairs=_p("face feature,face template"),
        cjk=("指纹", "虹膜", "人脸特征", "声纹"),
    ),
    # -- online identity ---------------------------------------------------------------------------
    EntityType(
        "WECHAT_OPENID", "online_identity", identifying=True, strength=0.8,
        tokens=_t("openid unionid wxid wechat weixin wxopenid wxunionid mpopenid"), cjk=("微信",),
    ),
    EntityType("QQ_NUMBER", "online_identity", identifying=True, strength=0.7, tokens=_t("qq qqh qqhao")),
    EntityType(
        "USERNAME", "online_identity", identifying=True, strength=0.6, text_only=True, needs_people=True,
        tokens=_t("username usernames loginname yhm dlm yonghuming dengluming nickname nicknames screenname nicheng"),
        pairs=_p("user name,login name,screen name,account name,login id,nick name"),
        cjk=("用户名", "登录名", "账号", "帐号", "昵称"),
    ),
    EntityType(
        "IP_ADDRESS", "online_identity", strength=0.6,
        tokens=_t("ip ipaddr ipv"), pairs=_p("ip address,ip addr"),
    ),
    # -- device identifiers ------------------------------------------------------------------------
    EntityType(
        "MAC_ADDRESS", "device_identifier", strength=0.7,
        tokens=_t("mac macaddr"), pairs=_p("mac address,mac addr"),
    ),
    EntityType(
        "IMEI", "device_identifier", identifying=True, strength=0.8, needs_people=True,
        tokens=_t("imei meid imsi"), cjk=("串号",),
    ),
    EntityType(
        "DEVICE_ID", "device_identifier", identifying=True, strength=0.7, needs_people=True,
        tokens=_t("idfa idfv oaid udid androidid deviceid sbh shebeihao pushid useragent"),
        pairs=_p("android id,device id,device token,push token,device no,push id,user agent,device model,"
                 "push endpoint"),
        cjk=("设备号", "设备标识"),
    ),
    # -- credentials -------------------------------------------------------------------------------
    EntityType(
        "PASSWORD_HASH", "credential", sensitive=True, strength=0.8,
        tokens=_t("password passwords passwd pwd mima mm salt pin dlmm privatekey publickey sessdata"),
        pairs=_p("secret answer,security answer,private key,challenge key,response key,ecdh key,verification code,"
                 "reset code,session data"),
        cjk=("密码", "口令", "密保"),
    ),
    EntityType(
        "AUTH_TOKEN", "credential", sensitive=True, strength=0.7,
        tokens=_t("token tokens jwt apikey secret otp totp mfa"),
        pairs=_p("access token,refresh token,remember token,api key,session key,reset token,auth key"),
        cjk=("令牌",),
    ),
    # -- health ------------------------------------------------------------------------------------
    EntityType(
        "BLOOD_TYPE", "health", sensitive=True, strength=0.8, coded=True,
        tokens=_t("bloodtype xuexing"), pairs=_p("blood type,blood group"), cjk=("血型",),
    ),
    EntityType(
        "MEDICAL_INFO", "health", sensitive=True, strength=0.7, needs_people=True, coded=True,
        tokens=_t("health medical allergy allergies allergic vaccine vaccines vaccination immunization "
                  "immunisation height weight sg tz jkzk gms disability disabilities illness disease diagnosis "
                  "medication medicine symptom symptoms bmi vision shengao tizhong guomin guominshi jiankang "
                  "jiankangzhuangkuang bingshi canji doctor hospital physician iep temperature diet diets tw tiwen "
                  "shili tjrq tjjg xxm healthstatus "
                  # English clinical vocabulary (EHR vitals, problems, medications, immunisations, exams)
                  "bps bpd bp pulse respiration respiratory oxygen spo circumference hgt vitals diagnoses icd "
                  "dosage dose doses drug drugs prescription prescriptions immunizations immunisations "
                  "vaccinations cvx allergen allergens medications medicines illnesses diseases injury injuries "
                  "surgery surgical hospitalization hospitalisation therapy treatment treatments chronic asthma "
                  "epilepsy diabetes seizure seizures dental caries hemoglobin haemoglobin glucose cholesterol "
                  "bloodpressure heartrate headcirc medicalnotes prognosis pathology radiology handicap deceased "
                  "xueya maibo xinlv chufang zhenduan bingli jiwangshi yaowu jiliang touwei xiongwei tingli quchi "
                  "zhusu huxi xueyang"),
        pairs=_p("special needs,medical condition,medical history,health status,health condition,blood pressure,"
                 "heart rate,head circumference,oxygen saturation,chief complaint,physical exam,lab result,"
                 "birth weight,first aid,eye sight,family history,review systems,waist circ,head circ,temp method,"
                 "special educational,learning support,lot number,medical notes"),
        cjk=("健康", "身高", "体重", "过敏", "病史", "疫苗", "接种", "残疾", "视力", "体检", "医院", "症状", "诊断",
             "用药", "疾病", "就诊", "血压", "脉搏", "体温", "呼吸", "心率", "血氧", "处方", "药物", "剂量", "病历",
             "头围", "胸围", "龋齿", "听力", "血红蛋白", "传染病", "既往史", "家族史", "主诉", "现病史", "化验",
             "检验", "伤病", "受伤", "就医", "服药", "医嘱", "晨检"),
    ),
    # -- property and finance ----------------------------------------------------------------------
    EntityType(
        "CN_BANK_CARD", "financial", sensitive=True, identifying=True, strength=0.7,
        tokens=_t("yhkh bankcard yinhangka yhzh"), pairs=_p("bank card,card no,bank account"),
        cjk=("银行卡", "银行账号"),
    ),
    EntityType(
        "MONEY_AMOUNT", "financial", sensitive=True, strength=0.6, needs_people=True,
        tokens=_t("fee fees balance tuition payment paid amount salary income xuefei jine fy alipay zfb discount "
                  "fare rent voucher receipt je paytime paydetails wages scholarship bursary donation deposit refund "
                  "owed debt arrears subsidy allowance stipend jiangxuejin zhuxuejin yajin tuikuan"),
        pairs=_p("amount paid,amount due,payment date,pay date,salary date,unit price,"
                 "bank info,bank details"),
        cjk=("学费", "余额", "费用", "缴费", "金额", "收入", "工资", "支付宝", "奖学金", "助学金", "押金", "退款",
             "欠费", "补助", "津贴"),
    ),
    EntityType(
        "VEHICLE_PLATE", "financial", identifying=True, strength=0.7,
        tokens=_t("cph chepai chepaihao plate"), pairs=_p("license plate,licence plate,car no,plate no"),
        cjk=("车牌",),
    ),
    # -- communications ----------------------------------------------------------------------------
    EntityType(
        "MESSAGE_CONTENT", "communications", sensitive=True, strength=0.5, needs_people=True,
        tokens=_t("message messages msg chat liaotian duanxin xiaoxi"),
        pairs=_p("message body,message content,mail body,email body,sms content,sms body,sms text"),
        cjk=("聊天", "短信", "消息内容", "私信"),
    ),
    # -- location ----------------------------------------------------------------------------------
    EntityType(
        "GEO_COORDINATES", "location", sensitive=True, strength=0.6, needs_people=True,
        tokens=_t("latitude longitude lat lng lon gps coordinates coordinate geo jingdu weidu dingwei location "
                  "geolocation"),
        pairs=_p("pickup point,dropoff point,check in,map x,map y,pickup location,drop location"),
        cjk=("经度", "纬度", "坐标", "定位", "签到地点", "接送点"),
    ),
    # -- other sensitive ---------------------------------------------------------------------------
    EntityType(
        "RELIGION", "other_sensitive", sensitive=True, strength=0.8, coded=True,
        tokens=_t("religion religious faith zjxy xyzj zongjiao"), cjk=("宗教",),
    ),
    EntityType(
        "POLITICAL_AFFILIATION", "other_sensitive", sensitive=True, strength=0.8, coded=True,
        tokens=_t("zzmm zzmmm zhengzhimianmao political"), cjk=("政治面貌", "党派"),
    ),
    EntityType(
        "MARITAL_STATUS", "other_sensitive", sensitive=True, strength=0.7, coded=True,
        tokens=_t("marital hyzk hunyin"), pairs=_p("mar stat,marital stat"), cjk=("婚姻",),
    ),
    EntityType(
        "CRIMINAL_RECORD", "other_sensitive", sensitive=True, strength=0.7,
        tokens=_t("criminal conviction convictions"), cjk=("犯罪", "违法记录"),
    ),
    # -- free text about a person ------------------------------------------------------------------
    EntityType(
        "FREE_TEXT", "free_text", strength=0.5, needs_people=True, text_only=True,
        tokens=_t("comment comments remark remarks note notes memo bz beizhu liuyan shuoming reason reasons "
                  "description additionalinfo explanation answer nr sm ms neirong miaoshu details"),
        pairs=_p("additional info,additional details,other info,status description,custom answer"),
        cjk=("备注", "留言", "说明"),
    ),
)

#: Entity types by name.
BY_NAME: Final[dict[str, EntityType]] = {e.name: e for e in ENTITIES}


def _check() -> None:
    for e in ENTITIES:
        if e.category not in CATEGORIES:
            raise ValueError(f"{e.name}: unknown category {e.category!r}")
    if len(BY_NAME) != len(ENTITIES):
        raise ValueError("an entity type is declared twice")


_check()


def entity(name: str) -> EntityType | None:
    """The declaration of an entity type, or None for a type the registry does not know."""
    return BY_NAME.get(name)


def category_of(name: str) -> str:
    """The §A9 category of an entity type (:data:`UNKNOWN_CATEGORY` for unknown types)."""
    e = BY_NAME.get(name)
    return e.category if e is not None else UNKNOWN_CATEGORY


def is_sensitive(names: Iterable[str]) -> bool:
    """Whether any of the entity types is sensitive PI (GB/T 35273 App. B)."""
    return any((e := BY_NAME.get(n)) is not None and e.sensitive for n in names)


def finding_category(types: Iterable[str]) -> str:
    """The category of a column finding from its entity types (most likely first).

    A prose column about a person (``FREE_TEXT`` among its types) is free text even when recognizers found
    identifiers inside it: they are listed as its entity types, the column stays the person's notes.
    """
    ordered = list(types)
    if not ordered:
        return UNKNOWN_CATEGORY
    if "FREE_TEXT" in ordered:
        return "free_text"
    return category_of(ordered[0])


def names_where(**flags: bool) -> frozenset[str]:
    """Entity types whose boolean attributes equal ``flags`` (``names_where(identifying=True)``)."""
    return frozenset(e.name for e in ENTITIES if all(getattr(e, k) == v for k, v in flags.items()))


def articles_of(names: Iterable[str]) -> frozenset[int]:
    """Union of the articles a child's values of these types touch."""
    out: set[int] = set()
    for n in names:
        e = BY_NAME.get(n)
        out.update(e.articles if e is not None else CHILD_PI_ARTICLES)
    return frozenset(out)


#: Entity types that identify a person on their own.
IDENTIFYING: Final[frozenset[str]] = names_where(identifying=True)
#: Contact data an organisation can own.
CONTACT: Final[frozenset[str]] = names_where(contact=True)
#: Identifiers whose validation makes one hit in prose a finding.
SELF_EVIDENT: Final[frozenset[str]] = names_where(self_evident=True)
#: Types a number-typed column cannot hold.
TEXT_ONLY: Final[frozenset[str]] = names_where(text_only=True)
#: Types that are PI only in a table whose rows are about people.
NEEDS_PEOPLE: Final[frozenset[str]] = names_where(needs_people=True)
#: Personal attributes often stored as codes or keys into code tables.
CODED: Final[frozenset[str]] = names_where(coded=True)


def hint_tables() -> tuple[
    dict[str, tuple[str, ...]], dict[tuple[str, str], tuple[str, ...]], tuple[tuple[str, tuple[str, ...]], ...],
    dict[str, float],
]:
    """The name-hint tables the column-name module matches against, built from the registry.

    Returns:
        ``(tokens, pairs, cjk, strength)``: token → entity types, pair → entity types, Chinese words
        (longest first) → entity types, and entity type → hint strength. Entity types of one key keep
        registry order.
    """
    tokens: dict[str, list[str]] = {}
    pairs: dict[tuple[str, str], list[str]] = {}
    cjk: dict[str, list[str]] = {}
    for e in ENTITIES:
        for t in e.tokens:
            tokens.setdefault(t, []).append(e.name)
        for p in e.pairs:
            pairs.setdefault(p, []).append(e.name)
        for w in e.cjk:
            cjk.setdefault(w, []).append(e.name)
    words = sorted(cjk, key=len, reverse=True)
    return (
        {k: tuple(v) for k, v in tokens.items()},
        {k: tuple(v) for k, v in pairs.items()},
        tuple((w, tuple(cjk[w])) for w in words),
        {e.name: e.strength for e in ENTITIES},
    )
