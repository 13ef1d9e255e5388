"""How the test provider treats each test user (users.py).

``hanako`` gets a correct ID token with the strong acr. The others get a token that is
wrong in one way, as a broken or hostile provider (or a man in the middle) would send it:
madoguchi must refuse each one. Imported only by the provider's process.
"""

from __future__ import annotations

import base64
import json
import time

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.users import ACR_STRONG, ACR_WEAK


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ScenarioValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": f"{user.last_name} {user.first_name}",
            "family_name": user.last_name, "given_name": user.first_name,
            "email": f"{user.username}@example.jp", "email_verified": True,
            "acr": ACR_WEAK if user.username == "weak" else ACR_STRONG,
        }

    def get_userinfo_claims(self, request):
        claims = super().get_userinfo_claims(request)
        if request.user.username == "userinfo-mismatch":
            claims["sub"] = "somebody-else"
        return claims

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        scenario = request.user.username
        if scenario == "wrong-audience":
            claims["aud"] = "another-client"
        elif scenario == "wrong-issuer":
            claims["iss"] = "http://127.0.0.1:9/not-the-issuer"
        elif scenario == "wrong-nonce":
            claims["nonce"] = "not-the-nonce-that-was-sent"
        elif scenario == "expired":
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if request.user.username != "tampered":
            return signed
        header, payload, signature = signed.split(".")
        claims = json.loads(_unb64(payload))
        claims["sub"] = "1"  # somebody else's account; the signature no longer matches
        return ".".join([header, _b64(json.dumps(claims).encode()), signature])
