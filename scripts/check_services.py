"""Tell, before the test suite starts, whether PostgreSQL and Redis answer."""

import os
import sys

import psycopg
import redis


def main() -> int:
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/keepinpact")
    else:
        # Connect to the maintenance database: the test database is created by the suite.
        base, _, _name = database_url.rpartition("/")
        try:
            psycopg.connect(f"{base}/postgres", connect_timeout=3).close()
        except psycopg.Error as exc:
            problems.append(
                f"PostgreSQL does not answer at DATABASE_URL ({exc.__class__.__name__}: {exc}".strip() + ")"
            )
    if not redis_url.startswith(("redis://", "rediss://")):
        problems.append("REDIS_URL must point at Redis, e.g. redis://127.0.0.1:6379/1")
    else:
        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis does not answer at REDIS_URL ({exc})")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
