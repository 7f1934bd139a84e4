"""surveyapp.core."""
