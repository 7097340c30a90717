"""Registration, profile, password and licence-verification pages."""
