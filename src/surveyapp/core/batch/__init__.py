"""surveyapp.core.batch."""
