"""What other contexts do when a resident logs in with a verified identity (a registry
owned by the portal, filled in ``AppConfig.ready``): the applications context links the
applications made for the resident at the centre (ADR 0027)."""

from __future__ import annotations

from collections.abc import Callable

from madoguchi.portal.models import PortalIdentity

# fn(identity=..., address=..., source=...) -> None; address: the provider's verified one
VerifiedLoginHook = Callable[..., object]
_HOOKS: list[VerifiedLoginHook] = []


def register_verified_login(hook: VerifiedLoginHook) -> None:
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def verified_login(*, identity: PortalIdentity, address: str, source: str) -> None:
    for hook in _HOOKS:
        hook(identity=identity, address=address, source=source)
