"""Amounts of money in a fee, balance or payment column (个人财产信息: payments and balances of a person)."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class MoneyRecognizer(Recognizer):
    """``MONEY_AMOUNT``: an amount (``3000``, ``¥1,200.50``, ``45.5元``) where fees or balances are spoken of.

    A number is an amount of money only by context: the recognizer needs a fee/balance word in the column
    name or next to the value, and the classifier keeps it only in people's tables (a product's price is
    no one's).
    """

    ENTITY: ClassVar[str] = "MONEY_AMOUNT"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "amount",
            r"(?<![0-9A-Za-z.,:/\-])(?:¥|\$|RMB ?|CNY ?)?-?(?:[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,9})(?:\.[0-9]{1,2})?"
            r"(?:元|块)?(?![0-9A-Za-z.,:/\-])",
            0.5,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        # no bare "fee": as a substring it is in "feedback" and "feet"
        "fees", "balance", "amount", "paid", "payment", "tuition", "charge", "refund", "deposit", "salary", "income",
        "学费", "费用", "余额", "金额", "缴费", "收费", "工资", "收入", "退款", "押金", "xuefei", "jine",
    )
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def normalize(self, text: str) -> str:
        """Digits and the decimal point."""
        return "".join(c for c in text if c.isdigit() or c in ".-")
