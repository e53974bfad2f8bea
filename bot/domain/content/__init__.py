"""Reading `content/id/`: YAML files with line numbers, sources, and the content check."""
