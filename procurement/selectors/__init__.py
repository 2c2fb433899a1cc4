"""The only readers for screens and exports, one module per view module (views/). Each
takes the user, applies visibility once and loads in a fixed number of queries whatever
the amount of data."""
