"""Backup and restore of the database and the stored files together (ADR 0024).

``backup(folder)`` writes, into a new folder:

- the database at one moment: SQLite through its online backup API (``database.sqlite3``),
  PostgreSQL with ``pg_dump --format=custom`` (``database.dump``) under a snapshot
  exported from a repeatable-read transaction;
- the bytes of every stored file and call recording whose row is in that snapshot (read
  in the same snapshot), as they are on disk: encrypted (``files/<storage key>``,
  ``recordings/<file name>``). Files written after the snapshot have no row in it and are
  left out; a committed file whose move into place a crash cut off is taken from its
  temporary file;
- ``manifest.json``: the SHA-256 of every file of the backup, the plain SHA-256 of the
  stored files (to check a key), and the names and fingerprints of the keys needed to read
  them. The keys themselves are never written: they must be kept apart from the backup.

``restore(folder)`` checks everything before it changes anything — every hash, the
database vendor, that the configured files key opens sample files (else it refuses and
says which key the backup needs), that the database is new and empty and FILES_DIR empty —
then loads the database (SQLite backup API, or ``pg_restore`` in one transaction) and
copies the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from madoguchi.core.crypto import fingerprint, key_list
from madoguchi.files import storage
from madoguchi.site.checks_tools import program

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FILES, RECORDINGS = "files", "recordings"
SAMPLES = 3  # stored files decrypted by a restore to check the key
READ_BYTES = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused; the message says why and what to do."""


@dataclass
class Row:
    """A file the snapshot's rows name: where it is below its tree, where it may be found
    now, and (stored files) the SHA-256 of its plain bytes."""

    name: str
    source: Path
    fallback: Path | None = None
    plain_sha256: str = ""


# Copying with hashes -------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> str:
    """Copy ``source`` to a new ``target`` (mode 0600, fsynced); the SHA-256 of the bytes."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with source.open("rb") as handle, os.fdopen(fd, "wb") as out:
        while chunk := handle.read(READ_BYTES):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _inside(root: Path, name: str) -> Path:
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise BackupError(f"the manifest names a file outside its folder: {name!r}")
    return path


# Databases -----------------------------------------------------------------------------------

def _pg_env() -> dict[str, str]:
    """libpq's variables for the database Django is connected to (the password never on
    a command line)."""
    given = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(given["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):
        if given.get(key):
            env[variable] = str(given[key])
    return env


def _run(name: str, *args: str) -> None:
    path = program(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    result = subprocess.run([path, *args], env=_pg_env(), capture_output=True, text=True,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")


def _rows_sql(cursor) -> tuple[list[tuple], list[tuple]]:
    stored = apps.get_model("files", "StoredFile")._meta.db_table
    recording = apps.get_model("meetings", "Recording")._meta.db_table
    cursor.execute(f"SELECT public_id, storage_key, sha256 FROM {stored}")  # noqa: S608
    files = list(cursor.fetchall())
    cursor.execute(f"SELECT file_name FROM {recording} "  # noqa: S608
                   "WHERE deleted_at IS NULL AND file_name <> ''")
    return files, list(cursor.fetchall())


def _dump_database(target: Path) -> tuple[list[tuple], list[tuple]]:
    """Write the database to ``target``; the rows of files and recordings in the same
    snapshot."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            return _rows_sql(copy.cursor())
        finally:
            copy.close()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            rows = _rows_sql(cursor)
            _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={target}")
        return rows
    raise BackupError(f"no backup for the {connection.vendor} database")


def _load_database(source: Path) -> None:
    if connection.vendor == "sqlite":
        import sqlite3

        name = connection.settings_dict["NAME"]
        connection.close()
        backup, target = sqlite3.connect(source), sqlite3.connect(name)
        try:
            backup.backup(target)
        finally:
            backup.close()
            target.close()
        return
    _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", f"--dbname={connection.settings_dict['NAME']}", str(source))


# Keys ----------------------------------------------------------------------------------------

def _keys() -> dict:
    setting, prints = storage.key_fingerprints()
    return {
        "files": {"setting": setting, "fingerprints": prints},
        "recordings": {"setting": "MEETINGS_RECORDING_KEY",
                       "fingerprints": [fingerprint(k)
                                        for k in key_list(settings.MEETINGS_RECORDING_KEY)]},
    }


def _check_files_key(source: Path, manifest: dict) -> int:
    """Decrypt up to SAMPLES stored files with the configured key; how many were checked.
    Raises BackupError saying which key the backup needs."""
    checked = 0
    for entry in manifest["files"]:
        if checked >= SAMPLES:
            break
        blob = _inside(source / FILES, entry["name"]).read_bytes()
        if not blob.startswith(storage.MAGIC):
            continue  # stored before encryption at rest: no key needed
        try:
            plain = storage.unseal(blob)
        except InvalidToken:
            plain = None
        if plain is None or hashlib.sha256(plain).hexdigest() != entry["plain_sha256"]:
            needed = manifest["keys"]["files"]
            setting, configured = storage.key_fingerprints()
            raise BackupError(
                "the configured files key does not open the backup's files, so nothing was "
                f"restored. The backup needs {needed['setting']} with the key of fingerprint "
                f"{', '.join(needed['fingerprints'])}"
                + (" (the key derived from that SECRET_KEY)"
                   if needed["setting"] == "SECRET_KEY" else "")
                + f"; this server has {setting} with {', '.join(configured)}. Set the key "
                "kept apart from the backup and run the restore again.")
        checked += 1
    return checked


# Backup --------------------------------------------------------------------------------------

def _rows(files: list[tuple], recordings: list[tuple]) -> dict[str, list[Row]]:
    files_root = storage.root()
    recordings_root = Path(settings.MEETINGS_RECORDING_DIR)
    found: dict[str, list[Row]] = {FILES: [], RECORDINGS: []}
    for public_id, key, plain in files:
        public_id = uuid.UUID(str(public_id))
        found[FILES].append(Row(name=key, source=storage.final_path(key),
                                fallback=files_root / storage.TEMP_DIR
                                / f"{public_id.hex}{storage.TEMP_SUFFIX}",
                                plain_sha256=plain))
    for (name,) in recordings:
        found[RECORDINGS].append(Row(name=name, source=_inside(recordings_root, name)))
    return found


def _empty(folder: Path) -> bool:
    return not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def backup(target: Path) -> dict:
    """Back up into ``target`` (new or empty); returns the manifest. Raises BackupError."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    database = target / DATABASE_FILES.get(connection.vendor, "database")
    rows = _rows(*_dump_database(database))
    manifest: dict = {
        "format": FORMAT, "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "name": database.name,
                     "sha256": _sha256(database)},
        "keys": _keys(), FILES: [], RECORDINGS: [], "missing": [],
    }
    for tree, found in rows.items():
        for row in found:
            source = row.source if row.source.exists() else row.fallback
            if source is None or not source.exists():
                manifest["missing"].append(f"{tree}/{row.name}")
                continue
            entry = {"name": row.name, "sha256": _copy(source, target / tree / row.name)}
            if row.plain_sha256:
                entry["plain_sha256"] = row.plain_sha256
            manifest[tree].append(entry)
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return manifest


# Restore -------------------------------------------------------------------------------------

def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup of madoguchi") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def verify(source: Path, manifest: dict) -> int:
    """Check the hash of every file of the backup; how many files were checked."""
    database = manifest["database"]
    if _sha256(_inside(source, database["name"])) != database["sha256"]:
        raise BackupError(f"{database['name']} does not match its hash: the backup is damaged")
    count = 0
    for tree in (FILES, RECORDINGS):
        for entry in manifest[tree]:
            path = _inside(source / tree, entry["name"])
            if not path.is_file() or _sha256(path) != entry["sha256"]:
                raise BackupError(f"{tree}/{entry['name']} is missing or does not match its "
                                  "hash: the backup is damaged")
            count += 1
    return count


def restore(source: Path) -> dict:
    """Restore the backup in ``source`` into the configured (new, empty) database and
    (empty) FILES_DIR; returns counts. Raises BackupError before changing anything."""
    source = Path(source)
    manifest = read_manifest(source)
    checked = verify(source, manifest)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"the backup is of a {vendor} database; DATABASE_URL names a "
                          f"{connection.vendor} one")
    samples = _check_files_key(source, manifest)
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(f"the database {connection.settings_dict['NAME']} already has "
                          f"{len(tables)} tables: restore into a new, empty database")
    targets = {FILES: storage.root(), RECORDINGS: Path(settings.MEETINGS_RECORDING_DIR)}
    for tree, root in targets.items():
        if not _empty(root):
            raise BackupError(f"{root} ({tree}) is not empty: restore into an empty folder")
    _load_database(_inside(source, manifest["database"]["name"]))
    for tree, root in targets.items():
        for entry in manifest[tree]:
            path = _inside(root, entry["name"])
            if _copy(_inside(source / tree, entry["name"]), path) != entry["sha256"]:
                raise BackupError(f"{tree}/{entry['name']} changed while it was copied")
    return {"files": len(manifest[FILES]), "recordings": len(manifest[RECORDINGS]),
            "verified": checked, "key_samples": samples, "missing": manifest["missing"]}


def remove_partial(target: Path) -> None:
    """Remove a backup folder a failed backup left."""
    shutil.rmtree(target, ignore_errors=True)
