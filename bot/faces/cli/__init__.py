"""The command-line face: `desabot`'s operator commands.

Admin (offices, officers, villages, tips), checks, NLU, doctor, backup, preview.
"""
