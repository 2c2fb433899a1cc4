"""Forms of the procurement screens, one module per view module (views/)."""
