"""surveyapp.core.merge."""
