"""surveyapp.ui."""
