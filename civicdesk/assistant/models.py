"""Models of the assistant app."""
