"""The content tree under content/id/: loading with line numbers, and validation."""
