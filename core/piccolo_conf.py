"""Piccolo's configuration module: the engine comes from casedesk's settings."""

from piccolo.conf.apps import AppRegistry

from core.db import make_engine
from core.settings import get_settings

DB = make_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["core.piccolo_app"])
