"""Disaster rows of the permission matrix (tests/test_permission_matrix.py).

The open-shelters page and its JSON feed are public. Shelter staff are the centre staff of
the shelter's district (D, 池尻) and ward administrators (A); the shelter probed is a demo
shelter of 池尻. An empty POST changes nothing: the report form comes back with its error
(the shelter is closed), so the allowed roles get 422.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)
OPERATORS = (D, A)


def _table(ok: int, allowed=OPERATORS, *, denied: int = 403, anon: int = 302,
           **by_role: int) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    table.update(by_role)
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "disaster:open_shelters": ("get", dict.fromkeys(EVERYONE, 200)),
    "disaster:district": ("get", dict.fromkeys(EVERYONE, 200)),
    "disaster:open_shelters_json": ("get", dict.fromkeys(EVERYONE, 200)),
    "disaster:shelter_list": ("get", _table(200)),
    "disaster:shelter_operate": ("post", _table(422)),
    # The shelter's details: ward administrators (all fields) and the district's centre
    # (capacity only); an empty POST names nothing to change.
    "disaster:shelter_edit": ("post", _table(422)),
    # The registry: the 池尻 centre (D) and the 世田谷 branch office's sections (S, M) see the
    # world's 池尻 resident; the partner account is no named supporter (an empty list; the
    # entry is not found). An empty consent comes back with its message (302); an empty
    # registration with its errors (422), for those who may see the resident at all.
    "disaster:registry_list": ("get", _table(200, (D, S, M, P))),
    "disaster:registry_entry": ("get", _table(200, (D, S, M), partner_staff=404)),
    # Consent goes through people's consent service, whose rule wants the resident visible
    # in people: the branch office's sections are refused there (403).
    "disaster:registry_consent": ("post", _table(302, (D,))),
    "disaster:plan_pdf": ("get", _table(200, (D, S, M), partner_staff=404)),
    "disaster:registry_register": ("post", _table(422, (D,), section_staff=404,
                                                  section_manager=404)),
    # Disaster mode: ward administrators only. An empty request comes back with its error;
    # confirming one's own request is refused with a message (back to the page).
    # 安否確認 of 池尻 (a campaign of a disaster already ended): the centre and the branch
    # office see the progress; the partner account (no supporter) sees nobody (404). The
    # phones' endpoint answers an empty body 400 to every role that records.
    "disaster:campaign_progress": ("get", _table(200, (D, S, M), partner_staff=404)),
    "disaster:campaign_records": ("post", _table(400, (D, S, M, P))),
    # The phone page lists the same people as the progress page (audited); its Service
    # Worker is code only (public). The campaigns page lists the user's districts'
    # campaigns; opening one (no district chosen) or a drill (no district) comes back to it
    # with a message; ending the world's drill is the 池尻 centre's or branch office's.
    "disaster:campaign_phone": ("get", _table(200, (D, S, M), partner_staff=404)),
    "disaster:phone_worker": ("get", dict.fromkeys(EVERYONE, 200)),
    "disaster:campaigns": ("get", _table(200, (D, S, M, P))),
    "disaster:campaign_open": ("post", _table(302, (D, S, M))),
    "disaster:drill_start": ("post", _table(302, (D, S, M))),
    "disaster:drill_end": ("post", _table(302, (D, S, M))),
    # 在宅避難者: the public page answers an empty form with its errors (no disaster is
    # declared in the world: it says so); the list is for the centre and branch office.
    "disaster:home_register": ("post", dict.fromkeys(EVERYONE, 422)),
    "disaster:home_list": ("get", _table(200, (D, S, M))),
    "disaster:mode": ("post", _table(422, (A,))),
    "disaster:mode_confirm": ("post", _table(302, (A,))),
    "disaster:mode_end": ("post", _table(302, (A,))),
}

RESIDENT_DATA = {"disaster:campaign_progress", "disaster:campaign_phone", "disaster:registry_list",
                 "disaster:registry_entry", "disaster:plan_pdf",
                 "disaster:registry_register"}


def objects(staff) -> dict[str, dict]:
    from madoguchi.disaster.demo import load_demo_shelters
    from madoguchi.disaster.services import registry_register
    from madoguchi.organisation.models import District
    from madoguchi.people.models import Resident

    shelter = load_demo_shelters(districts=District.objects.filter(code="ikejiri"))[0]
    resident = Resident.objects.filter(district__code="ikejiri").order_by("pk").first()
    entry = registry_register(by=staff["district_staff"], resident=resident, sex="unstated",
                              reasons=["elderly_alone"], contact_note="長女 03-0000-0000",
                              source="test")
    import datetime as dt

    from madoguchi.disaster.services import declaration_request, plan_save

    plan_save(by=staff["district_staff"], entry=entry, destination="home", means="walk",
              review_due=dt.date.today() + dt.timedelta(days=100), source="test",
              supporters=[{"name": "支援 太郎", "phone": "03-0000-0009"}])
    from madoguchi.disaster.services import declaration_confirm, declaration_end
    from madoguchi.disaster.services.safety import campaign_open

    past = declaration_request(by=staff["ward_admin"], region=None, reason="訓練（過去）")
    other_admin = staff_upsert_admin()
    declaration_confirm(by=other_admin, declaration=past)
    campaign = campaign_open(by=staff["district_staff"], district=resident.district)
    declaration_end(by=other_admin, declaration=past)
    pending = declaration_request(by=staff["ward_admin"], region=None, reason="訓練（試験）")
    from madoguchi.disaster.services.safety import drill_start

    drill = drill_start(by=staff["district_staff"], district=resident.district, people=3)
    return {"disaster:shelter_operate": {"code": shelter.code},
            "disaster:shelter_edit": {"code": shelter.code},
            "disaster:district": {"region": "setagaya", "code": "ikejiri"},
            "disaster:mode_confirm": {"pk": pending.pk},
            "disaster:mode_end": {"pk": pending.pk},
            "disaster:registry_entry": {"pk": entry.pk},
            "disaster:registry_consent": {"pk": entry.pk},
            "disaster:plan_pdf": {"pk": entry.pk},
            "disaster:campaign_progress": {"pk": campaign.pk},
            "disaster:campaign_records": {"pk": campaign.pk},
            "disaster:campaign_phone": {"pk": campaign.pk},
            "disaster:drill_end": {"pk": drill.pk}}


def staff_upsert_admin():
    from madoguchi.accounts.models import Role
    from madoguchi.accounts.services import staff_upsert

    return staff_upsert(username="second-ward-admin", display_name="second",
                        password="x-Passw0rd-x", role=Role.WARD_ADMIN, unit=None)
