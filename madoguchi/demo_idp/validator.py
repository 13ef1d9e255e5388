"""The demo provider's claims: the 基本4情報 of the demo resident who logged in, each
released only for its scope (``name``, ``address``, ``birthdate``, ``gender``, as the
デジタル認証アプリ's API names them), and the demo's strong ``acr``. Imported only by the
provider's process."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from madoguchi.demo_idp.residents import ACR, BY_USERNAME


class DemoValidator(OAuth2Validator):
    oidc_claim_scope = {
        "sub": "openid", "acr": "openid",
        "name": "name", "family_name": "name", "given_name": "name",
        "address": "address", "birthdate": "birthdate", "gender": "gender",
    }

    def get_additional_claims(self, request):
        resident = BY_USERNAME.get(request.user.username)
        claims = {"acr": ACR}
        if resident is not None:
            claims.update({
                "name": resident.name, "family_name": resident.family_name,
                "given_name": resident.given_name,
                "address": {"formatted": resident.address},
                "birthdate": resident.birthdate, "gender": resident.gender})
        return claims
