"""Compliance checks per article of the 2019 Provisions."""
