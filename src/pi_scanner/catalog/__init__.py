"""The catalog: pi-scanner's own state (runs, assets, findings, verdicts, errors)."""
