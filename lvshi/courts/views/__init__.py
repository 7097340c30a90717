"""Court services' pages, one module per area."""
