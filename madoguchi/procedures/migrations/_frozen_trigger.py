"""The trigger that freezes published procedure versions (0002), shared with the
migrations that rebuild the table on SQLite and must re-create it."""

TABLE = "procedures_procedureversion"

FORWARD = {
    "sqlite": [
        f"CREATE TRIGGER {TABLE}_frozen BEFORE UPDATE ON {TABLE} "
        f"WHEN OLD.published_at IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, 'published procedure versions are immutable'); END",
    ],
    "postgresql": [
        f"CREATE OR REPLACE FUNCTION {TABLE}_frozen() RETURNS trigger AS $$ "
        f"BEGIN IF OLD.published_at IS NOT NULL THEN "
        f"RAISE EXCEPTION 'published procedure versions are immutable'; END IF; "
        f"IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {TABLE}_frozen BEFORE UPDATE OR DELETE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_frozen()",
    ],
}
REVERSE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_frozen"],
    "postgresql": [f"DROP TRIGGER IF EXISTS {TABLE}_frozen ON {TABLE}",
                   f"DROP FUNCTION IF EXISTS {TABLE}_frozen()"],
}

