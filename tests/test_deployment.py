"""The production stack in docker-compose.yml and the Dockerfile, checked as data, and the
production settings module as the container loads it.

No Docker engine is needed: the compose file is loaded with PyYAML (which resolves the
`<<: *app` merge keys the way Compose does) and the Dockerfile is read as text. The settings
are read in a fresh interpreter with DJANGO_SETTINGS_MODULE=config.settings.production.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
INITDB = ROOT / "docker" / "postgres" / "initdb"


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


def test_exactly_the_six_services(services):
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}


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
def test_app_services_wait_for_healthy_db_and_redis_and_the_migrations(services, name):
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on must use the long form with conditions"
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", (*APP_SERVICES, "migrate"))
def test_app_services_are_built_from_the_dockerfile(services, name):
    assert services[name]["build"] in (".", {"context": "."})
    assert services[name]["image"] == services["web"]["image"]


def test_migrate_is_a_one_shot_that_runs_as_the_owner_of_the_tables(services):
    migrate = services["migrate"]
    assert re.fullmatch(r"python manage\.py migrate --noinput", command_text(migrate))
    # "unless-stopped" would start it again and again after it has exited.
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "ports" not in migrate and "healthcheck" not in migrate
    environment = env(migrate)
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert database_user(environment) == database_user(env(services["db"]), "POSTGRES_USER")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    # Otherwise the same configuration as the app: the merge kept the rest of x-app.
    assert {k: v for k, v in environment.items() if k != "DATABASE_URL"} == {
        k: v for k, v in env(services["web"]).items() if k != "DATABASE_URL"
    }


def test_web_collects_static_and_runs_gunicorn_with_production_settings_but_does_not_migrate(services):
    web = services["web"]
    command = command_text(web)
    assert re.search(r"\bgunicorn\b.*\bconfig\.wsgi\b", command)
    assert "0.0.0.0:8000" in command
    assert command.index("collectstatic") < command.index("gunicorn")
    assert "migrate" not in command  # its role may not create tables
    assert env(web)["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert any(str(port).endswith(":8000") for port in web["ports"])


def database_user(environment, variable=None) -> str:
    """The user of DATABASE_URL (or of the db service's VARIABLE) as "NAME:-default"."""
    if variable:
        value = environment[variable]
    else:
        value = re.fullmatch(r"postgresql://(\$\{[^}]+\}):.*", environment["DATABASE_URL"]).group(1)
    return re.fullmatch(r"\$\{([A-Z_]+:-[a-z_]+)\}", value).group(1)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_connect_as_the_app_role_not_the_owner(services, name):
    environment = env(services[name])
    assert database_user(environment) == database_user(env(services["db"]), "APP_DB_USER")
    assert database_user(environment) != database_user(env(services["migrate"]))
    assert "${APP_DB_PASSWORD:?" in environment["DATABASE_URL"]
    assert "POSTGRES_PASSWORD" not in environment["DATABASE_URL"]


def test_db_creates_the_app_role_from_an_init_script(services):
    db = services["db"]
    assert "./docker/postgres/initdb:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert re.fullmatch(r"\$\{APP_DB_PASSWORD:\?[^}]*\}", env(db)["APP_DB_PASSWORD"])
    scripts = sorted(path.name for path in INITDB.iterdir())
    # The entrypoint runs *.sh and *.sql*; the SQL is .psql so only the script runs it, with
    # its variables.
    assert scripts == ["10-app-role.sh", "app-role.psql"]
    script = (INITDB / "10-app-role.sh").read_text(encoding="utf-8")
    assert script.startswith("#!/bin/sh\n") and os.access(INITDB / "10-app-role.sh", os.X_OK)
    for variable in ("APP_DB_USER", "APP_DB_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"):
        assert f'"${variable}"' in script, variable
    assert "ON_ERROR_STOP=1" in script
    # Every psql variable the SQL uses is one the script passes.
    passed = set(re.findall(r"-v (\w+)=", script)) - {"ON_ERROR_STOP"}
    sql = re.sub(r"--[^\n]*", "", (INITDB / "app-role.psql").read_text(encoding="utf-8"))
    used = set(re.findall(r":[\"'](\w+)[\"']", sql))
    assert used == passed == {"app_user", "app_password", "owner", "db"}


def test_db_is_healthy_only_once_it_listens_on_tcp(services):
    # During the first start the init scripts run against a server on its socket only.
    assert "pg_isready -h 127.0.0.1" in healthcheck_text(services["db"])


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


# --------------------------------------------------------------------------------------
# config.settings.production, loaded the way gunicorn loads it
# --------------------------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    # 50+ characters with many distinct ones, as check --deploy (security.W009) wants.
    "DJANGO_SECRET_KEY": "t3st-" + "".join(chr(c) for c in range(ord("A"), ord("z") + 1) if chr(c).isalnum()),
    "DJANGO_ALLOWED_HOSTS": "anskaffelser.example.no",
}


def production_python(code: str, **env_overrides) -> subprocess.CompletedProcess:
    """Runs CODE in a fresh interpreter with the production settings configured, so the
    module is read from the environment as it is in the container (the test process has
    its own settings already)."""
    environment = {**os.environ, **PRODUCTION_ENV, **env_overrides}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def production_settings(**env_overrides) -> dict:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_PROXY_SSL_HEADER",
        "CONTENT_SECURITY_POLICY",
        "MIDDLEWARE",
        "DEBUG",
    ]
    result = production_python(
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))",
        **env_overrides,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production():
    return production_settings()


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload(production):
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["DEBUG"] is False


def test_hsts_and_the_redirect_are_configurable_from_the_environment():
    changed = production_settings(DJANGO_HSTS_SECONDS="3600", DJANGO_HSTS_PRELOAD="0", DJANGO_SSL_REDIRECT="0")
    assert changed["SECURE_HSTS_SECONDS"] == 3600
    assert changed["SECURE_HSTS_PRELOAD"] is False
    assert changed["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert changed["SECURE_SSL_REDIRECT"] is False


def test_production_redirects_to_https_except_the_health_check(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # SecurityMiddleware matches the exemptions against the path without its leading slash.
    exempt = [re.compile(pattern) for pattern in production["SECURE_REDIRECT_EXEMPT"]]
    assert any(p.search("healthz/") for p in exempt)
    for path in ("", "logg-inn/", "admin/", "healthz/x", "anskaffelser/1/healthz/"):
        assert not any(p.search(path) for p in exempt), path


def test_production_content_security_policy_allows_nothing_inline(production):
    assert "csp.middleware.CSPMiddleware" in production["MIDDLEWARE"]
    directives = production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    for name in ("default-src", "script-src", "style-src", "font-src", "form-action", "connect-src"):
        assert directives[name] == ["'self'"], name
    # data: only for images: Designsystemet's icons are data: SVG masks in its CSS.
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    for values in directives.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(values)
    assert not any(name.endswith("-attr") or name.endswith("-elem") for name in directives)


@pytest.fixture(scope="module")
def sealing_certificate(tmp_path_factory) -> dict:
    """The environment of an installation with its sealing certificate (a test one, made the
    way the demo makes its own), as production requires at startup (agreements.checks)."""
    from agreements.signing import _demo_certificate

    directory = tmp_path_factory.mktemp("segl")
    blob, passphrase = _demo_certificate(directory)
    path = directory / "installasjon.p12"
    path.write_bytes(blob)
    return {"AGREEMENTS_SIGNING_PKCS12": str(path), "AGREEMENTS_SIGNING_PASSPHRASE": passphrase.decode()}


CHECK_DEPLOY = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_check_deploy_reports_nothing(sealing_certificate):
    result = production_python(CHECK_DEPLOY, **sealing_certificate)
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is guardian's look for its backend by name: ours is a subclass
    # of it (core.permissions); nothing about the deployment is silenced.
    assert "System check identified no issues (1 silenced)." in result.stdout
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["guardian.W001"]


def test_production_without_its_sealing_certificate_does_not_start(sealing_certificate):
    """Every command the containers start with runs the checks (collectstatic before gunicorn,
    migrate): without the certificate, or with the wrong passphrase, they stop there."""
    result = production_python(CHECK_DEPLOY, AGREEMENTS_SIGNING_PKCS12="", AGREEMENTS_SIGNING_PASSPHRASE="")
    assert result.returncode != 0 and "agreements.E001" in result.stdout + result.stderr
    wrong = {**sealing_certificate, "AGREEMENTS_SIGNING_PASSPHRASE": "ikke-passordet"}
    result = production_python(
        "from django.core.management import execute_from_command_line; execute_from_command_line(['manage.py', 'check'])", **wrong
    )
    assert result.returncode != 0 and "agreements.E002" in result.stdout + result.stderr
    assert "ikke-passordet" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_with_the_production_redirect_only_healthz_answers_plain_http(client, settings, production):
    settings.SECURE_SSL_REDIRECT = production["SECURE_SSL_REDIRECT"]
    settings.SECURE_REDIRECT_EXEMPT = production["SECURE_REDIRECT_EXEMPT"]
    settings.SECURE_HSTS_SECONDS = production["SECURE_HSTS_SECONDS"]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    settings.SECURE_HSTS_PRELOAD = production["SECURE_HSTS_PRELOAD"]
    settings.SECURE_PROXY_SSL_HEADER = tuple(production["SECURE_PROXY_SSL_HEADER"])

    health = client.get("/healthz/")
    assert health.status_code == 200 and "Strict-Transport-Security" not in health

    login = client.get("/logg-inn/")
    assert login.status_code == 301 and login["Location"] == "https://testserver/logg-inn/"

    secure = client.get("/logg-inn/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == (
        f"max-age={production['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
