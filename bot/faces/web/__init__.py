"""The web face: the office's dashboard (room reserved; see the README's architecture section)."""
