"""Our recognizers inside Presidio's ``AnalyzerEngine``, fully offline.

The fast path (:mod:`pi_scanner.classify.fast`) is what scans; this engine exists so that the same
recognizers can be used wherever Presidio is expected (its APIs, its decision process, other
Presidio recognizers added by a user), and so a test can prove both give the same detections.

Offline by construction:

* :class:`~presidio_analyzer.nlp_engine.NoOpNlpEngine` (default) or :class:`BlankSpacyNlpEngine` over
  ``spacy.blank("zh")`` / ``spacy.blank("en")``: no spaCy model is loaded or downloaded (the default
  engine downloads ``en_core_web_lg``);
* the registry holds only our recognizers (an *empty* registry makes ``AnalyzerEngine`` load all the
  predefined ones);
* ``tldextract``'s module-level extractor is replaced by one with no suffix-list URLs, so nothing
  that reaches it fetches the public-suffix list.

Context: Presidio's lemma enhancer cannot see Chinese keywords (a blank ``zh`` pipeline tokenises per
character, the no-op engine yields no tokens at all), so :class:`ChineseContextEnhancer` applies
:func:`pi_scanner.classify.context.apply_context`, the same function the fast path uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import regex  # type: ignore[import-untyped]  # Presidio's matcher, no stubs
import tldextract
import tldextract.tldextract
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpEngine, NoOpNlpEngine, SpacyNlpEngine

from pi_scanner.classify.context import apply_context
from pi_scanner.classify.recognizers.base import Detection, Facts, Recognizer

_FACTS_KEY = "pi_scanner_facts"
_NORMALIZED_KEY = "pi_scanner_normalized"
_ID_KEY = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY


def keep_tldextract_offline() -> None:
    """Replace tldextract's default extractor with one that never downloads the suffix list."""
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


class RecognizerAdapter(PatternRecognizer):
    """One of our :class:`Recognizer` objects as a Presidio ``PatternRecognizer``.

    ``analyze`` runs the recognizer's patterns with the ``regex`` module (as Presidio does) and
    calls the same :meth:`Recognizer.validate` as the fast path; the facts ride along in the
    result's ``recognition_metadata``. Regex flags are 0: our patterns are case-sensitive on purpose
    (``e12345678`` is not a passport number).

    Args:
        recognizer: The recognizer to wrap.
        language: Language the adapter registers for.
    """

    def __init__(self, recognizer: Recognizer, language: str) -> None:
        self.recognizer = recognizer
        self.adapter_name = type(recognizer).__name__
        patterns = [Pattern(name=p.name, regex=p.regex, score=p.score) for p in recognizer.PATTERNS]
        super().__init__(
            supported_entity=recognizer.ENTITY,
            name=self.adapter_name,
            supported_language=language,
            patterns=patterns,
            context=list(recognizer.CONTEXT),
            global_regex_flags=0,
        )
        self._compiled = [(p, regex.compile(p.regex)) for p in recognizer.PATTERNS]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: Any = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Validated matches of the wrapped recognizer, before context."""
        rec = self.recognizer
        results: list[RecognizerResult] = []
        for pattern, rx in self._compiled:
            for m in rx.finditer(text):
                if m.start() == m.end():
                    continue
                facts = rec.validate(m.group(), pattern)
                if facts is None:
                    continue
                score = pattern.score if facts.score is None else facts.score
                results.append(
                    RecognizerResult(
                        entity_type=rec.ENTITY,
                        start=m.start(),
                        end=m.end(),
                        score=score,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.adapter_name,
                            _ID_KEY: self.id,
                            _FACTS_KEY: facts,
                            _NORMALIZED_KEY: rec.normalize(m.group()),
                        },
                    )
                )
        return results


class ChineseContextEnhancer(ContextAwareEnhancer):
    """Context enhancement by character windows and column names (see :mod:`..context`)."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.35, min_score_with_context_similarity=0.4, context_prefix_count=5,
            context_suffix_count=0,
        )  # fmt: skip

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[Any],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Apply :func:`apply_context` to each result; dropped results get score 0."""
        by_id = {getattr(r, "id", None): r for r in recognizers}
        names = tuple(context or ())
        for res in raw_results:
            meta = res.recognition_metadata or {}
            adapter = by_id.get(meta.get(_ID_KEY))
            if not isinstance(adapter, RecognizerAdapter):
                continue  # a foreign Presidio recognizer: left as Presidio scored it
            facts: Facts = meta[_FACTS_KEY]
            adjusted = apply_context(adapter.recognizer, text, res.start, res.end, res.score, facts, names)
            if adjusted is None:
                res.score = 0.0  # removed by remove_duplicates, like any zero score
                continue
            res.score, meta[_FACTS_KEY] = adjusted
        return raw_results


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over ``spacy.blank(lang)`` pipelines: tokens, no model, no download.

    The stock engine's ``load`` downloads the named model when it is missing; this one builds blank
    pipelines instead (``zh`` tokenises per character, so lemma context is still blind to Chinese words,
    which :class:`ChineseContextEnhancer` handles).
    """

    def load(self) -> None:
        """Build one blank pipeline per configured language."""
        import spacy  # imported here: only this engine needs it loaded

        # Presidio annotates ``nlp`` as None until ``load()`` fills it.
        self.nlp = {m["lang_code"]: spacy.blank(m["lang_code"]) for m in self.models}  # type: ignore[assignment]


class PresidioEngine:
    """Presidio's ``AnalyzerEngine`` over our recognizers only, with no network access.

    Args:
        recognizers: The recognizers, constructed with their ``as_of`` date.
        language: Language code the registry and the NLP engine use.
        nlp: ``noop`` (Presidio's no-op engine, fastest) or ``blank`` (blank spaCy pipelines); both
            give the same detections, as a test proves.
    """

    def __init__(self, recognizers: Sequence[Recognizer], language: str = "zh", nlp: str = "noop") -> None:
        keep_tldextract_offline()
        self.language = language
        self.adapters = [RecognizerAdapter(rec, language) for rec in recognizers]
        registry = RecognizerRegistry(recognizers=self.adapters, supported_languages=[language])
        models = [{"lang_code": language, "model_name": f"blank_{language}" if nlp == "blank" else "noop"}]
        nlp_engine: NlpEngine
        if nlp == "blank":
            nlp_engine = BlankSpacyNlpEngine(models=models)
            nlp_engine.load()
        elif nlp == "noop":
            nlp_engine = NoOpNlpEngine(models=models)
        else:
            raise ValueError(f"nlp must be 'noop' or 'blank', not {nlp!r}")
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[language],
            context_aware_enhancer=ChineseContextEnhancer(),
        )
        self.entities = sorted({rec.ENTITY for rec in recognizers})

    def analyze_cell(self, text: str, context: Sequence[str] = ()) -> list[Detection]:
        """Detections in one normalised cell, in the fast path's order and form.

        Args:
            text: The cell, already passed through :func:`pi_scanner.classify.fast.normalize_cell`.
            context: Column names / headers, passed to Presidio as ``context``.
        """
        if not text or not self.adapters:
            return []
        results = self.analyzer.analyze(
            text=text, language=self.language, entities=self.entities, context=list(context)
        )
        out = []
        for res in results:
            meta = res.recognition_metadata or {}
            facts = meta.get(_FACTS_KEY)
            if not isinstance(facts, Facts):
                continue
            out.append(
                Detection(res.entity_type, res.start, res.end, res.score, facts, meta.get(_NORMALIZED_KEY, ""))
            )
        return sorted(out, key=lambda d: (d.start, d.end, d.entity))

    def detect_column_normalized(self, texts: Sequence[str], context: Sequence[str] = ()) -> list[list[Detection]]:
        """Per-cell Presidio analysis of a column: the slow, exact path behind the fast engine's interface."""
        return [self.analyze_cell(text, context) for text in texts]

