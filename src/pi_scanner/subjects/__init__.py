"""Subject requests: find, export, correct and erase one child's data."""
