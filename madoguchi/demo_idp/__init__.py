"""The demo identity provider of ``make run`` (ADR 0027): a small Django project of its own
(django-oauth-toolkit serving OpenID Connect) that stands in for the Digital Agency's
デジタル認証アプリ on a laptop. It runs in its own process on its own port, with its own
SQLite database under var/demo_idp/ and an RS256 key made on first start, and offers a few
invented demo residents to log in as with one click. It is not part of madoguchi's
URLconf or INSTALLED_APPS; madoguchi refuses to start with it in production
(``madoguchi.portal.demo``)."""
