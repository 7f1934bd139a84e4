"""surveyapp: offline-first screening of left-behind and at-risk children."""

__version__ = "0.1.0"
