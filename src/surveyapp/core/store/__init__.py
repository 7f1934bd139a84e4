"""surveyapp.core.store."""
