"""Pieces every app uses and none owns: uploads, PDF rendering, the form base and its
fields, template tags, htmx helpers, login and the health check."""
