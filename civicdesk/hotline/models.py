"""Models of the hotline app."""
