"""The register of licensed placement agencies (P3MI): import, lookup, the answer."""
