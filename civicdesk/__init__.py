"""CivicDesk: the platform a Vietnamese province runs for its commune-level governments."""

__version__ = "0.1.0"
