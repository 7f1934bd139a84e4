"""surveyapp.cli."""
