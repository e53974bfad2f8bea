"""Telegram adapters: parse the update, call the domain, render the reply. Nothing more."""
