"""Every write of the privacy app: retention periods and passes (retention.py), data-subject requests (requests.py),
the register of requests' own pseudonymisation (register.py)."""
