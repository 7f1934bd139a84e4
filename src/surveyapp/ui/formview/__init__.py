"""The form view: an XLSForm rendered at run time over a ``FormSession``."""
