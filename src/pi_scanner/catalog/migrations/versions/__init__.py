"""Catalog revisions, chained from ``0001_initial``."""
