"""surveyapp.core.forms."""
