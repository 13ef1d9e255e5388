"""The scale bench's generator: ``INSERT … SELECT generate_series`` up to SIZES, then
VACUUM ANALYZE; ``insert_select`` and ``sql_array`` are shared with the collaboration
bench."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

SIZES = {"residents": 200_000, "consultations": 1_000_000, "applications": 100_000,
         "audit_entries": 1_000_000}
YEARS = 5

FAMILY = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
    ("阿部", "アベ"), ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"),
    ("石井", "イシイ"), ("小川", "オガワ"), ("前田", "マエダ"), ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"), ("近藤", "コンドウ"),
    ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"),
]
GIVEN = [
    ("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"),
    ("健二", "ケンジ"), ("さくら", "サクラ"), ("翔太", "ショウタ"), ("恵子", "ケイコ"),
    ("勇", "イサム"), ("直子", "ナオコ"), ("優子", "ユウコ"), ("茂", "シゲル"),
    ("結衣", "ユイ"), ("大輔", "ダイスケ"), ("博", "ヒロシ"), ("典子", "ノリコ"),
    ("陽菜", "ヒナ"), ("敏夫", "トシオ"), ("真理", "マリ"), ("浩二", "コウジ"),
    ("智子", "トモコ"), ("武", "タケシ"), ("彩", "アヤ"), ("幸子", "サチコ"),
    ("誠", "マコト"), ("春江", "ハルエ"), ("拓也", "タクヤ"), ("久美子", "クミコ"),
    ("修", "オサム"), ("千尋", "チヒロ"), ("光", "ヒカル"), ("澄子", "スミコ"),
    ("正男", "マサオ"), ("和子", "カズコ"), ("清", "キヨシ"), ("由美", "ユミ"),
    ("蓮", "レン"), ("葵", "アオイ"), ("悠真", "ユウマ"), ("陽翔", "ハルト"),
]


def insert_select(model, values: dict[str, str], source: str, *, tail: str = "") -> int:
    """``INSERT INTO <model's table> (…) SELECT <values> FROM <source>``: ``values`` maps a
    column (attname) to its SQL; every other column gets its field's default (``now()`` for
    auto dates, a fresh uuid for uuid fields), NULL when nullable, '' when blank text. A
    NOT NULL column left without any raises, so that a field added later shows here."""
    from django.db import connection, models

    columns, expressions, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in values:
            continue
        if field.attname in values:
            expression = values[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = "now()"
        elif isinstance(field, models.UUIDField) and field.has_default():
            expression = "gen_random_uuid()"
        elif field.has_default():
            default = field.get_default()
            if isinstance(field, models.JSONField):
                expression, default = "%s::jsonb", json.dumps(default)
            else:
                expression = "%s"
            defaults.append(default)
        elif field.null:
            continue
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            expression = "''"
        else:
            raise ValueError(f"the generator has no value for {model._meta.db_table}."
                             f"{field.column}")
        columns.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    # The only parameters are the defaults (so a literal % in ``source`` is written %%).
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
           f"SELECT {', '.join(expressions)} FROM {source} {tail}")
    with connection.cursor() as cursor:
        cursor.execute(sql, defaults)
        return cursor.rowcount


def sql_array(items) -> str:
    """A SQL array literal of text items (bench constants only: no quotes inside)."""
    return "ARRAY[" + ", ".join(f"'{item}'" for item in items) + "]"


def _ids(cursor, sql: str) -> list[int]:
    cursor.execute(sql)
    return [row[0] for row in cursor.fetchall()]


def fill_residents(count: int) -> int:
    from django.db import connection

    from madoguchi.people.models import Resident

    with connection.cursor() as cursor:
        districts = _ids(cursor, "SELECT id FROM organisation_district ORDER BY id")
    nf, ng = len(FAMILY), len(GIVEN)
    period = nf * ng
    family, family_kana = sql_array(f for f, _ in FAMILY), sql_array(k for _, k in FAMILY)
    given, given_kana = sql_array(g for g, _ in GIVEN), sql_array(k for _, k in GIVEN)
    district_array = "ARRAY[" + ", ".join(map(str, districts)) + "]"
    f = f"(1 + mod(i, {nf}))"
    g = f"(1 + mod(i / {nf}, {ng}))"
    # (kana, birth date) is unique: the same name comes back every ``period`` residents,
    # each time 640 days on, plus under 640 days.
    birth = f"date '1925-01-01' + ((i / {period}) * 640 + mod(i, 631))::int"
    return insert_select(Resident, {
        "family_name": f"({family})[{f}]", "given_name": f"({given})[{g}]",
        "family_name_kana": f"({family_kana})[{f}]",
        "given_name_kana": f"({given_kana})[{g}]",
        "name_key": f"({family})[{f}] || ({given})[{g}]",
        "kana_key": f"({family_kana})[{f}] || ({given_kana})[{g}]",
        "birth_date": birth, "address": "'世田谷区（ベンチマーク）'",
        # Whole blocks of ``period`` residents (every name once) per district, so that
        # names and districts are independent.
        "district_id": f"({district_array})[1 + mod(i / {period}, {len(districts)})]",
        "postal_code": "'154-0001'",
    }, f"generate_series(0, {count - 1}) AS i", tail="ON CONFLICT DO NOTHING")


def _bench_staff() -> dict[int, int]:
    """A receiving clerk per centre: the demo clerks for theirs, a bench account for the
    others (centre id -> user id)."""
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import DistrictCentre

    demo = {"setagaya/ikejiri": "ikejiri", "kitazawa/matsubara": "matsubara"}
    staff = {}
    for centre in DistrictCentre.objects.select_related("district__region"):
        key = f"{centre.district.region.code}/{centre.district.code}"
        username = demo.get(key, f"bench-{centre.pk}")
        user, _created = User.objects.get_or_create(username=username)
        staff[centre.pk] = user.pk
    return staff


def fill_consultations(count: int) -> int:
    from django.db import connection

    from madoguchi.consultations.models import Consultation
    from madoguchi.organisation.models import Section

    staff = _bench_staff()
    sections = list(Section.objects.filter(district__isnull=True).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_r")
        cursor.execute(
            "CREATE TEMP TABLE bench_r AS SELECT (row_number() OVER (ORDER BY r.id)) - 1 AS n,"
            " r.id, c.id AS centre_id FROM people_resident r"
            " JOIN organisation_districtcentre c ON c.district_id = r.district_id")
        cursor.execute("CREATE UNIQUE INDEX ON bench_r (n)")
        cursor.execute("DROP TABLE IF EXISTS bench_c")
        cursor.execute("CREATE TEMP TABLE bench_c (centre_id int PRIMARY KEY, user_id int)")
        cursor.executemany("INSERT INTO bench_c VALUES (%s, %s)", list(staff.items()))
        cursor.execute("SELECT count(*) FROM bench_r")
        residents = cursor.fetchone()[0]
    section_array = "ARRAY[" + ", ".join(map(str, sections)) + "]"
    # 2% received, 2% routed (the open ones, of the last 90 days: 40,000, more than a
    # ward has), the rest completed over five years; a third of them routed to a section.
    status = ("CASE mod(j, 50) WHEN 0 THEN 'received' WHEN 1 THEN 'routed' "
              "ELSE 'completed' END")
    minutes = (f"CASE WHEN mod(j, 50) < 2 THEN mod(j * 7919, 90 * 1440) "
               f"ELSE mod(j * 7919, {YEARS} * 365 * 1440) END")
    section = (f"CASE WHEN mod(j, 3) = 0 OR mod(j, 50) = 1 THEN "
               f"({section_array})[(1 + mod(j / 3, {len(sections)}))::int] END")
    return insert_select(Consultation, {
        "resident_id": "r.id", "centre_id": "r.centre_id", "received_by_id": "c.user_id",
        "received_at": f"now() - make_interval(mins => ({minutes})::int)",
        "worry": "'ベンチマーク用の相談です。'", "category": "'elderly'",
        "urgency": "CASE WHEN mod(j, 50) = 0 THEN 'urgent' ELSE 'normal' END",
        "status": status, "section_id": section, "proposed_section_id": section,
    }, f"generate_series(0::bigint, {count - 1}) AS j "
       f"JOIN bench_r r ON r.n = mod(j * 7919, {residents}) "
       f"JOIN bench_c c ON c.centre_id = r.centre_id")


def _version_rows() -> list[tuple[int, int, int, int, int, str, str]]:
    """(procedure number, version id, region id, section id, processing days, first
    status, a final status) for each published procedure and region."""
    from madoguchi.applications.routing import responsible_section
    from madoguchi.organisation.models import District
    from madoguchi.procedures.models import Procedure

    rows = []
    districts = {d.region_id: d for d in District.objects.select_related("region")}
    for k, procedure in enumerate(Procedure.objects.filter(current__isnull=False)
                                  .select_related("current__section_kind").order_by("pk")):
        version = procedure.current
        spec = version.workflow_spec
        for region_id, district in districts.items():
            section = responsible_section(version.section_kind, district)
            if section is not None and spec.final_codes:
                rows.append((k, version.pk, region_id, section.pk, version.processing_days,
                             spec.initial, spec.final_codes[0]))
    return rows


def fill_applications(count: int) -> tuple[int, int]:
    from django.db import connection

    from madoguchi.applications.models import Application, ApplicationEvent
    from madoguchi.core import opendays

    versions = _version_rows()
    today = dt.date.today()
    first = today - dt.timedelta(days=YEARS * 365 + 10)
    calendar = opendays.calendar(first, today + dt.timedelta(days=400))
    days = sorted({row[4] for row in versions if row[4]})
    procedures = len({row[0] for row in versions})
    due = [(first + dt.timedelta(days=n), d,
            calendar.add(first + dt.timedelta(days=n), d))
           for n in range((today - first).days + 1) for d in days]
    with connection.cursor() as cursor:
        for name, ddl in (
                ("bench_v", "(k int, version_id int, region_id int, section_id int, days int,"
                            " initial text, final text)"),
                ("bench_due", "(day date, days int, due date, PRIMARY KEY (day, days))")):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TEMP TABLE {name} {ddl}")
        cursor.executemany("INSERT INTO bench_v VALUES (%s, %s, %s, %s, %s, %s, %s)",
                           versions)
        cursor.executemany("INSERT INTO bench_due VALUES (%s, %s, %s)", due)
        cursor.execute("CREATE TEMP TABLE bench_a AS SELECT a, "  # noqa: S608
                       "mod(a * 7919, (SELECT count(*) FROM bench_r)) AS n, "
                       f"mod(a, {procedures}) AS k FROM generate_series(0, {count - 1}) a")
    # 10% open (received in the last 120 days), the rest finished ten days after receipt.
    submitted = (f"now() - make_interval(mins => (CASE WHEN mod(a, 10) = 0 "
                 f"THEN mod(a * 6151, 120 * 1440) "
                 f"ELSE mod(a * 6151, {YEARS} * 365 * 1440) END)::int)")
    source = ("(SELECT t.a, r.id AS resident_id, d.id AS district_id, v.version_id, "  # noqa: S608
              "v.section_id, v.days, v.initial, v.final, "
              f"{submitted} AS submitted_at FROM bench_a t "
              "JOIN bench_r r ON r.n = t.n "
              "JOIN people_resident p ON p.id = r.id "
              "JOIN organisation_district d ON d.id = p.district_id "
              "JOIN bench_v v ON v.k = t.k AND v.region_id = d.region_id) s "
              "LEFT JOIN bench_due due ON due.day = (s.submitted_at AT TIME ZONE "
              "'Asia/Tokyo')::date AND due.days = s.days")
    inserted = insert_select(Application, {
        "reference": "'B-' || lpad(s.a::text, 8, '0')", "version_id": "s.version_id",
        "channel": "CASE WHEN mod(s.a, 2) = 0 THEN 'online' ELSE 'counter' END",
        "status": "CASE WHEN mod(s.a, 10) = 0 THEN s.initial ELSE s.final END",
        "resident_id": "s.resident_id", "district_id": "s.district_id",
        "section_id": "s.section_id", "applicant_name": "'ベンチマーク'",
        "submitted_at": "s.submitted_at", "created_at": "s.submitted_at",
        "due_on": "due.due",
        "closed_at": "CASE WHEN mod(s.a, 10) = 0 THEN NULL "
                     "ELSE s.submitted_at + interval '10 days' END",
    }, source)
    events = insert_select(ApplicationEvent, {
        "application_id": "a.id", "at": "a.submitted_at", "kind": "'submitted'",
        "to_status": "a.status", "public": "true",
    }, "applications_application a WHERE a.reference LIKE 'B-%%'")
    return inserted, events


def fill_audit(count: int) -> int:
    from django.contrib.auth import get_user_model

    from madoguchi.audit.models import AuditEntry

    users = list(get_user_model().objects.filter(
        username__in=["ikejiri", "matsubara", "hokenfukushi", "kacho", "anshin"])
        .values_list("pk", flat=True))
    user_array = "ARRAY[" + ", ".join(map(str, users)) + "]"
    actions = sql_array(["list", "view", "list", "update", "view", "list", "export"])
    kinds = sql_array(["resident", "application", "consultation"])
    return insert_select(AuditEntry, {
        "at": f"now() - make_interval(secs => (e * {YEARS * 365 * 86400 // count})::int)",
        "actor_id": f"({user_array})[1 + mod(e, {len(users)})]",
        "action": f"({actions})[1 + mod(e, 7)]",
        "record_type": f"({kinds})[1 + mod(e / 7, 3)]", "record_id": "e::text",
        "resident_ref": "md5(mod(e, 200000)::text)::uuid::text",
        "source": "'bench'",
    }, f"generate_series(1, {count}) AS e")


def fill(sizes: dict[str, int]) -> dict:
    from django.db import connection

    steps = {}

    def timed(name, fn, *args):
        start = time.perf_counter()
        result = fn(*args)
        steps[name] = {"rows": result, "seconds": round(time.perf_counter() - start, 1)}
        print(f"  {name}: {result} in {steps[name]['seconds']} s", file=sys.stderr)

    timed("residents", fill_residents, sizes["residents"])
    timed("consultations", fill_consultations, sizes["consultations"])
    timed("applications", fill_applications, sizes["applications"])
    timed("audit_entries", fill_audit, sizes["audit_entries"])
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics, and the visibility map for index-only scans
    steps["vacuum_analyze"] = {"seconds": round(time.perf_counter() - start, 1)}
    return steps


def counts() -> dict[str, int]:
    from madoguchi.applications.models import Application
    from madoguchi.audit.models import AuditEntry
    from madoguchi.consultations.models import Consultation
    from madoguchi.people.models import Resident

    return {"residents": Resident.objects.count(),
            "consultations": Consultation.objects.count(),
            "applications": Application.objects.exclude(status="draft").count(),
            "audit_entries": AuditEntry.objects.count()}
