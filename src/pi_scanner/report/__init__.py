"""Reports: the versioned JSON report and its table, Markdown and HTML renderings."""
