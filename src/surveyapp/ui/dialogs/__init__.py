"""Dialogs: the first-run wizard and the login screen."""
