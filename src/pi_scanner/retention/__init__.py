"""Retention: policies, over-retention reports, plan/apply deletion and the audit ledger."""
