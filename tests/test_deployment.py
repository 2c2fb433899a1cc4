"""The production stack in docker-compose.yml and the Dockerfile, checked as data.

No Docker engine is needed: the compose file is loaded with PyYAML (which resolves the
`<<: *app` merge keys the way Compose does) and the Dockerfile is read as text.
"""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def command_text(service):
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def healthcheck_text(service):
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def env(service):
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return environment


def test_exactly_the_five_services(services):
    assert set(services) == {"web", "worker", "beat", "db", "redis"}


def test_database_and_broker_images(services):
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


@pytest.mark.parametrize(
    ("name", "probe"),
    [("db", "pg_isready"), ("redis", "redis-cli ping"), ("web", "/healthz/")],
)
def test_healthchecks(services, name, probe):
    assert probe in healthcheck_text(services[name])


def test_web_healthcheck_uses_python_urllib(services):
    check = healthcheck_text(services["web"])
    assert "python" in check and "urllib.request" in check
    assert "127.0.0.1:8000" in check


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_db_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on must use the long form with conditions"
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_built_from_the_dockerfile(services, name):
    assert services[name]["build"] in (".", {"context": "."})


def test_web_migrates_collects_static_and_runs_gunicorn_with_production_settings(services):
    web = services["web"]
    command = command_text(web)
    assert re.search(r"\bgunicorn\b.*\bconfig\.wsgi\b", command)
    assert "0.0.0.0:8000" in command
    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert env(web)["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert any(str(port).endswith(":8000") for port in web["ports"])


def test_worker_and_beat_commands(services):
    assert re.search(r"celery -A config worker\b", command_text(services["worker"]))
    assert re.search(r"celery -A config beat\b", command_text(services["beat"]))


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment(services, name):
    environment = env(services[name])
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert environment["DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["APP_MEDIA_ROOT"] == "/data/uploads"
    assert "DJANGO_ALLOWED_HOSTS" in environment
    # The secret comes from the environment and Compose refuses to start without it.
    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]*\}", environment["DJANGO_SECRET_KEY"])


def test_no_secret_literals_anywhere(compose, services):
    secrets = {
        (name, key): value
        for name, service in services.items()
        for key, value in env(service).items()
        if "SECRET" in key or "PASSWORD" in key
    }
    assert ("web", "DJANGO_SECRET_KEY") in secrets and ("db", "POSTGRES_PASSWORD") in secrets
    for (name, key), value in secrets.items():
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", value), f"{name}.{key} is not a required variable"
    assert "insecure" not in (ROOT / "docker-compose.yml").read_text(encoding="utf-8")


def test_named_volumes_are_declared_and_used(compose, services):
    declared = set(compose["volumes"])
    assert {"postgres-data", "media", "static"} <= declared

    def mounts(name):
        return {str(v).split(":")[0]: str(v).split(":")[1] for v in services[name].get("volumes", [])}

    assert mounts("db")["postgres-data"] == "/var/lib/postgresql/data"
    assert mounts("web")["media"] == env(services["web"])["APP_MEDIA_ROOT"]
    assert mounts("worker")["media"] == env(services["worker"])["APP_MEDIA_ROOT"]
    # Static files are collected into STATIC_ROOT = $APP_VAR_DIR/staticfiles.
    assert mounts("web")["static"] == env(services["web"])["APP_VAR_DIR"] + "/staticfiles"

    used = {v.split(":")[0] for s in services.values() for v in map(str, s.get("volumes", []))}
    assert declared <= used, f"declared but unused volumes: {declared - used}"


def test_dockerfile_base_image_and_system_libraries(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, re.M)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in dockerfile


def test_dockerfile_installs_pinned_by_requirements_lock(dockerfile):
    assert re.search(r"^COPY .*\brequirements\.lock\b", dockerfile, re.M)
    assert re.search(r"^RUN pip install .*-c requirements\.lock \.", dockerfile, re.M)
    assert re.search(r"\bnpm ci\b", dockerfile)


def test_dockerfile_runs_as_non_root(dockerfile):
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")


def test_requirements_lock_pins_everything_and_names_no_host_or_path():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[A-Za-z0-9_,\-]+\])?==[A-Za-z0-9_.+!\-]+", line), line
    names = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    assert {"django", "celery", "weasyprint", "gunicorn", "pytest"} <= names
    assert "django-fsm" not in names  # django-fsm-2 only: the two clash on the same module
