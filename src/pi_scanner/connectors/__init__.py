"""Connectors: one per kind of store (SQL, folders, S3, plugins)."""
