"""The dashboard's pages, one module per area, each a set of thin aiohttp handlers."""
