"""Shared test setup: Qt runs offscreen; the UI language is Chinese unless a test says otherwise."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SURVEYAPP_LANG", "zh_CN")
