"""surveyapp.core.ids."""
