"""Health vocabulary (Chinese and English): allergies, conditions, immunisations, medication, special needs."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()

#: Chinese terms, longest first where one contains another.
MEDICAL_ZH: tuple[str, ...] = (
    "乳糖不耐受", "药物过敏", "食物过敏", "花生过敏", "海鲜过敏", "青霉素", "过敏史", "过敏", "哮喘", "癫痫",
    "心脏病", "糖尿病", "先天性", "病史", "残疾", "蚕豆病", "手足口", "水痘", "腮腺炎", "肺炎", "发烧", "发热",
    "湿疹", "鼻炎", "弱视", "贫血", "疫苗", "接种", "用药", "服药", "住院", "手术", "自闭症", "多动症",
    "抽动症", "过动症", "智力障碍", "听力障碍", "视力障碍", "诊断", "病假",
)
#: English terms (word-bounded).
MEDICAL_EN: tuple[str, ...] = (
    "allergy", "allergies", "allergic", "asthma", "asthmatic", "epilepsy", "epileptic", "diabetes", "diabetic",
    "eczema", "penicillin", "vaccinated", "vaccination", "vaccinations", "immunisation", "immunization",
    "immunisations", "immunizations", "medication", "medications", "inhaler", "EpiPen", "ADHD", "autism",
    "autistic", "dyslexia", "seizure", "seizures", "diagnosed", "diagnosis", "surgery", "hospitalised",
    "hospitalized", "Allergy", "Allergies", "Asthma", "Epilepsy", "Diabetes", "Eczema", "Autism", "Dyslexia",
)


class MedicalRecognizer(Recognizer):
    """``MEDICAL_INFO``: a health term. One term in a long note is weak; the column decides (share, name)."""

    ENTITY: ClassVar[str] = "MEDICAL_INFO"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("zh", "(?:" + "|".join(MEDICAL_ZH) + ")", 0.6),
        PatternDef(
            "en",
            r"(?<![A-Za-z])(?:" + "|".join(sorted(MEDICAL_EN, key=len, reverse=True)) + r")(?![A-Za-z])",
            0.6,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("健康", "医疗", "过敏", "病史", "health", "medical", "allerg", "体检")

    def normalize(self, text: str) -> str:
        """The term as written."""
        return text
