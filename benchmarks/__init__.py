"""Benchmarks printing ratios measured in one run."""
