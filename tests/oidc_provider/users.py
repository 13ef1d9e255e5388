"""The provider's test users; how each makes it behave is in validator.py.

``hanako`` gets a correct ID token with the strong acr. The others get a token that is
wrong in one way, as a broken or hostile provider (or a man in the middle) would send it:
madoguchi must refuse each one.
"""

from __future__ import annotations

PASSWORD = "provider-test-password"
ACR_STRONG = "urn:example:acr:mynumbercard"
ACR_WEAK = "urn:example:acr:password"

USERS = {
    "hanako": {"last_name": "世田谷", "first_name": "花子"},
    "weak": {"last_name": "弱井", "first_name": "一郎"},
    "wrong-audience": {"last_name": "宛先", "first_name": "違"},
    "wrong-issuer": {"last_name": "発行", "first_name": "違"},
    "wrong-nonce": {"last_name": "乱数", "first_name": "違"},
    "expired": {"last_name": "期限", "first_name": "切"},
    "tampered": {"last_name": "改竄", "first_name": "有"},
    "userinfo-mismatch": {"last_name": "情報", "first_name": "違"},
}

