"""Sign-in, sign-out and two-factor pages."""
