"""Printed documents: decision notices (決定通知書) and guidance slips (受付案内票) as PDF.

The context renders; it stores nothing. Callers (procedures) build the content as frozen
dataclasses from ``madoguchi.documents.content`` and call

- ``madoguchi.documents.notice.render_decision_notice(notice) -> bytes``
- ``madoguchi.documents.slip.render_guidance_slip(slip) -> bytes``

Both raise ``DocumentError`` (Japanese messages, safe to show) before drawing anything when
the content or an administrator's template text is unusable. Templates can be checked when
they are saved with ``madoguchi.documents.templating.check_template``. See ADR 0016.
"""
