"""A real OpenID Connect provider for the tests: django-oauth-toolkit in a small Django
project of its own (settings, SQLite database, RS256 key made at start), run as a separate
uvicorn process. Its test users each make it behave in one way, good or bad (users.py)."""
