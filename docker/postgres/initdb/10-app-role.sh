#!/bin/sh
# Creates APP_DB_USER, the role web, worker and beat connect as (app-role.psql says what it
# may do). The postgres image runs this once, when it initialises an empty data volume, as
# POSTGRES_USER, which owns the database and every table the migrations create.
#
# A volume initialised before this script existed has no such role: run it once by hand,
#   docker compose up -d db && docker compose exec db sh /docker-entrypoint-initdb.d/10-app-role.sh
set -e
: "${APP_DB_USER:?set APP_DB_USER}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_user="$APP_DB_USER" \
    -v app_password="$APP_DB_PASSWORD" \
    -v owner="$POSTGRES_USER" \
    -v db="$POSTGRES_DB" \
    -f "$(dirname "$0")/app-role.psql"
