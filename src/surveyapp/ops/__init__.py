"""Operations that the UI and the CLI both call. One module per area; each function
returns a result dataclass, never prints, and raises SurveyError for expected failures."""
