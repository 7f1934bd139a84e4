"""surveyapp.core.ledger."""
