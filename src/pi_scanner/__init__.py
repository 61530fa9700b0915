"""pi-scanner: find children's personal information and enforce how long it may be kept."""

__version__ = "0.1.0"
