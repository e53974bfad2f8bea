"""The Desa Binaan programme itself.

The Desa Binaan programme: villages, membership, the lesson and quiz library, broadcasts,
quiz results, officials' own messages and their approval, charts, posters and exports.
"""
