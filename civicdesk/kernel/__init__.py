"""The model-free rules every app builds on, geo and core included (docs/decisions/0003-app-layers.md).

Roles, the scoping rule, the registry of menu entries and cards, the input checks, the CSV reader and the audit
log's port. Nothing here defines a model or imports an app of CivicDesk: geo (whose units core's users point at)
sits on top of it, core above geo.
"""
