"""Piccolo app declaration: casedesk's tables and the migrations committed beside them."""

import os

from piccolo.conf.apps import AppConfig

from core import tables

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="casedesk",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "migrations"),
    table_classes=list(tables.ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
