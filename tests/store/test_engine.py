"""The engine factory: SQLite is tuned on every connection and its directory is created."""

from pathlib import Path

from sqlalchemy import text

from journey.store import Database


async def test_sqlite_connections_are_tuned_and_the_directory_created(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "journey.db"
    async with (
        Database.connect(f"sqlite+aiosqlite:///{path}") as database,
        database.engine.connect() as connection,
    ):
        settings = {
            pragma: (await connection.exec_driver_sql(f"PRAGMA {pragma}")).scalar_one()
            for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        await connection.commit()

    assert settings == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 30_000}
    assert path.is_file()
