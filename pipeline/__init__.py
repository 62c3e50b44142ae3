"""Domain logic of the unified AI dataset pipeline.

Nothing in this package imports Celery: every stage runs in-process (``--local`` and the
demo) or under the Celery fleet in ``workers/`` through the very same functions.
"""

__version__ = "0.1.0"
