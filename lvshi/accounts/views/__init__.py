"""Page views of the accounts app, one module per area."""
