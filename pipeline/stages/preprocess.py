"""Preprocess: every record goes through, in order,

0. ``license``: the record's normalised licence is not in ``[licenses] allowed``
   (:func:`pipeline.sources.licenses.license_filter`; ``["*"]``, the default, keeps all);
1. ``too_long``: raw length above ``[preprocess] max_chars`` (checked before any work);
2. normalise (:mod:`pipeline.text.normalise`), then ``empty_text`` / ``too_short``;
3. language (:mod:`pipeline.text.language`): ``Drop("language")``;
4. PII redaction (:mod:`pipeline.text.pii`): never drops;
5. quality (:mod:`pipeline.text.quality`): ``Drop("quality:<rule>")``, bad turns removed;
6. segment (:mod:`pipeline.text.segment`): long records become chunks (1:N).

Each step can be switched off with ``enabled = false`` in its ``[preprocess.<step>]`` table.
Counters of what the steps changed (boilerplate lines, PII per type, turns removed, languages,
chunks) go to the shard ledger's ``extra`` (summed in the stage summary and the release
manifest). Every removal (a dropped record, a removed boilerplate line or chat turn) is also
offered to a bounded audit sample written as the shard's ``audit`` output
(:mod:`pipeline.text.audit`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pipeline.config import DEFAULT_DETECTOR
from pipeline.records import Record
from pipeline.runs import Run
from pipeline.stages.base import Drop, RecordStage, ShardContext, Step

if TYPE_CHECKING:
    from pipeline.config import PreprocessSection
    from pipeline.text.audit import AuditSample

# bumped when the steps change what they output (recorded in every shard marker)
PREPROCESS_VERSION = "3"


def normalise_text(text: str) -> str:
    """The normal form of a document (see :func:`pipeline.text.normalise.normalise_text`)."""
    from pipeline.text.normalise import normalise_text as normalise

    return normalise(text)


def _size(rec: Record) -> int:
    return len(rec.get("text") or "") + sum(len(m["content"]) for m in rec.get("messages") or [])


def max_length(max_chars: int) -> Step:
    def step(rec: Record) -> Record | Drop:
        return Drop("too_long") if _size(rec) > max_chars else rec

    return step


def min_length(min_chars: int) -> Step:
    def step(rec: Record) -> Record | Drop:
        return Drop("too_short") if _size(rec) < min_chars else rec

    return step


def _audited(step: Step, audit: AuditSample) -> Step:
    def wrapped(rec: Record) -> Record | list[Record] | Drop:
        out = step(rec)
        if isinstance(out, Drop):
            audit.dropped(rec, out.reason, out.detail)
        return out

    return wrapped


def build_steps(
    pp: PreprocessSection,
    counts: Counter[str],
    audit: AuditSample | None = None,
    licenses: list[str] | None = None,
    detector: str = DEFAULT_DETECTOR,
) -> list[Step]:
    """The preprocess steps for ``pp``; ``counts`` receives their counters. ``licenses``
    (the ``[licenses] allowed`` patterns) adds the licence filter in front; ``detector``
    (the run's ``annotate.detector``) is the crisis detector ``keep_crisis`` asks."""
    from pipeline.sources.licenses import license_filter
    from pipeline.text.language import LanguageFilter
    from pipeline.text.normalise import Normaliser
    from pipeline.text.pii import PiiRedactor
    from pipeline.text.quality import QualityFilter
    from pipeline.text.segment import Segmenter

    steps: list[Step] = []
    if licenses is not None and "*" not in licenses:
        steps.append(license_filter(licenses))
    steps.append(max_length(pp.max_chars))
    n = pp.normalise
    if n.enabled:
        steps.append(
            Normaliser(
                fix_encoding=n.fix_encoding,
                artefacts=n.strip_artefacts,
                boilerplate=n.strip_boilerplate,
                counts=counts,
                audit=audit,
            )
        )
    steps.append(min_length(pp.min_chars))
    lang = pp.language
    if lang.enabled:
        steps.append(
            LanguageFilter(
                lang.keep,
                min_letters=lang.min_letters,
                min_confidence=lang.min_confidence,
                sample_chars=lang.sample_chars,
                counts=counts,
            )
        )
    if pp.pii.enabled:
        steps.append(PiiRedactor(pp.pii.types, keep_helplines=pp.pii.keep_helplines, counts=counts))
    if pp.quality.enabled:
        steps.append(QualityFilter(pp.quality, counts=counts, audit=audit, detector=detector))
    if pp.segment.enabled:
        steps.append(Segmenter(pp.segment.max_chars, pp.segment.min_chars, counts=counts))
    if audit is not None:
        steps = [_audited(s, audit) for s in steps]
    return steps


class PreprocessStage(RecordStage):
    name = "preprocess"
    queue = "cpu"
    input_stage = "ingest"

    def steps(self, run: Run) -> list[Step]:
        return build_steps(
            run.config.preprocess,
            Counter(),
            licenses=run.config.licenses.allowed,
            detector=run.config.annotate.detector,
        )

    def shard_steps(self, ctx: ShardContext) -> list[Step]:
        from pipeline.text.audit import AuditSample
        from pipeline.text.pii import PiiDetector

        pp = ctx.run.config.preprocess
        redact = None
        if pp.pii.enabled:
            detector = PiiDetector(pp.pii.types, pp.pii.keep_helplines)

            def redact(text: str) -> str:
                return detector.redact(text)[0]

        def sink(rec: Record) -> None:
            ctx.writer("audit").write(rec)

        audit = AuditSample(
            sink, per_reason=pp.audit_per_reason, max_chars=pp.audit_max_chars, redact=redact
        )
        cfg = ctx.run.config
        return build_steps(pp, ctx.ledger.extra, audit, cfg.licenses.allowed, cfg.annotate.detector)

    def info(self, run: Run) -> dict[str, str]:
        return {"preprocess": PREPROCESS_VERSION}
