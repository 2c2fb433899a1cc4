"""The only writers of procurement data: one module per concern."""
