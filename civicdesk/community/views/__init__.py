"""Pages of language access, one module per group: requests.py, people.py, reports.py."""
