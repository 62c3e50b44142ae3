"""Loaded at start-up by every Python subprocess the tests start (``PYTHONPATH``): the same
loopback-only network guard as the pytest process (see ``tests/netguard.py``)."""

from tests.netguard import install

install()
