"""The demo residents of the demo identity provider, with the 基本4情報 (name, address,
birth date, sex) a My Number Card login gives. The first three are residents of the ward's
demo records (``load_demo``) with assisted applications (``load_demo_applications``), so
logging in as one of them shows those applications in the portal; the last one is not in
the records (a resident who only applies online). All invented."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoResident:
    username: str
    family_name: str
    given_name: str
    birthdate: str  # ISO 8601, as the OpenID Connect ``birthdate`` claim
    gender: str  # OpenID Connect ``gender``: "female" / "male"
    address: str  # as printed on the card (住所)

    @property
    def name(self) -> str:
        return f"{self.family_name} {self.given_name}"


RESIDENTS = [
    DemoResident("demo-hanako", "山田", "花子", "1951-09-03", "female",
                 "東京都世田谷区池尻2丁目2番（デモ）"),
    DemoResident("demo-taro", "山田", "太郎", "1948-04-12", "male",
                 "東京都世田谷区池尻1丁目1番（デモ）"),
    DemoResident("demo-ichiro", "髙橋", "一郎", "1939-01-20", "male",
                 "東京都世田谷区池尻3丁目3番（デモ）"),
    DemoResident("demo-jiro", "世田谷", "次郎", "1985-07-07", "male",
                 "東京都世田谷区用賀4丁目5番（デモ）"),
]
BY_USERNAME = {resident.username: resident for resident in RESIDENTS}
ACR = "urn:madoguchi:demo:acr:mynumbercard"  # what the demo's ID tokens carry as acr
SCOPES = "openid name address birthdate gender"  # the デジタル認証アプリ's 基本4情報 scopes
CLIENT_ID = "madoguchi-demo-portal"
