"""Fixtures of the notice tests (a real SMTP server, a scripted HTTP endpoint), for every
integration test module; the code lives in ``tests/notice_support.py``."""

from notice_support import http_endpoint, smtp_server

__all__ = ["http_endpoint", "smtp_server"]
