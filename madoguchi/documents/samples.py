"""Sample content for ward review (``manage.py render_sample_documents``) and the tests.

The resident is fictional; the ward's names are the ward's. Online addresses use the
``.example`` domain until the procedures portal has its own.
"""

from __future__ import annotations

import datetime as dt

from madoguchi.documents.content import (
    Addressee,
    Channel,
    DecisionNotice,
    GuidanceSlip,
    Issuer,
    SlipOffice,
    SlipProcedure,
)

PORTAL = "https://madoguchi.city.setagaya.example/procedures/"
HOURS = "平日 8時30分〜17時15分（土日祝日・年末年始を除く）"

NOTICE_TEMPLATE = (
    "　{{ 申請日 }}付けで請求のあった{{ 手続名 }}について、次のとおり{{ 決定 }}したので"
    "通知します。\n"
    "　{{ 支給開始月 }}分から、月額{{ 支給月額 }}を支給します。支給は毎年2月、4月、6月、"
    "8月、10月及び12月に、それぞれの前月分までを指定の口座へ振り込みます。"
)


def sample_notice(*, reasons: str | None = None) -> DecisionNotice:
    return DecisionNotice(
        title="児童手当認定通知書",
        document_number="世子家第1234号",
        reference_number="R8-JT-000123",
        issued_on=dt.date(2026, 11, 30),
        applied_on=dt.date(2026, 11, 16),
        addressee=Addressee(name="世田谷 花子", postal_code="154-0001",
                            address="東京都世田谷区池尻二丁目3番4号\nサンプルハイツ101号"),
        issuer=Issuer(section="子ども家庭支援課",
                      office="世田谷総合支所 保健福祉センター",
                      phone="03-5432-1111（代表）", hours=HOURS),
        procedure_name="児童手当の認定請求",
        decision="認定",
        body_template=NOTICE_TEMPLATE,
        details=(("支給開始月", "令和8年12月"), ("支給月額", "15,000円"),
                 ("対象児童", "世田谷 一郎（令和7年4月1日生）")),
        reasons=reasons if reasons is not None else (
            "児童手当法第7条第1項の規定により、受給資格及び児童手当の額について認定しました。"),
    )


def sample_slip() -> GuidanceSlip:
    counter = "世田谷総合支所 くみん窓口"
    return GuidanceSlip(
        life_event="転入（世田谷区に引っ越してきた）",
        resident_name="世田谷 花子",
        printed_on=dt.date(2026, 11, 30),
        printed_by="池尻まちづくりセンター",
        procedures=(
            SlipProcedure(
                name="転入届", section=counter, channels=(Channel.COUNTER,),
                bring=("前の住所地の転出証明書（マイナンバーカードで転出届をした方は不要）",
                       "転入する方全員のマイナンバーカード", "本人確認書類（運転免許証など）"),
                note="住み始めた日から14日以内"),
            SlipProcedure(
                name="国民健康保険の加入届", section="国保・年金課（総合支所 くみん窓口でも受付）",
                channels=(Channel.COUNTER, Channel.ASSISTED),
                bring=("本人確認書類", "マイナンバーがわかるもの"),
                note="職場の健康保険に加入しない方。転入した日から14日以内"),
            SlipProcedure(
                name="児童手当の認定請求", section="世田谷総合支所 子ども家庭支援課",
                channels=(Channel.ONLINE, Channel.ASSISTED, Channel.COUNTER),
                bring=("請求者名義の振込先口座がわかるもの",
                       "請求者と配偶者のマイナンバーがわかるもの"),
                online_url=PORTAL + "jido-teate-nintei/",
                note="転入した日の翌日から15日以内"),
            SlipProcedure(
                name="保育施設の利用申込", section="保育課",
                channels=(Channel.ONLINE, Channel.COUNTER),
                bring=("保育の必要性を確認する書類（就労証明書など）",),
                online_url=PORTAL + "hoiku-riyo/",
                note="入園希望月の前月の締切日までに"),
        ),
        offices=(
            SlipOffice(name="世田谷総合支所 くみん窓口", phone="03-5432-1111（代表）",
                       hours=HOURS),
            SlipOffice(name="池尻まちづくりセンター（オンライン相談・申請のお手伝い）",
                       hours=HOURS),
        ),
        note="ご不明な点は、お近くのまちづくりセンターにお尋ねください。",
    )
