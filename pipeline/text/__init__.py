"""Text preprocessing steps (no Celery): normalise, language, PII, quality, segment.

Each module has one record step (``Record -> Record | Drop``, or a list of records for
segmentation) plus the pure text functions it is built on. The stage wiring is in
:mod:`pipeline.stages.preprocess`.
"""
