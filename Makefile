# Keep in Pact — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/keepinpact
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
# manage.py, wsgi.py and celery.py default to production settings: the local commands say so.
LOCAL := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local}

.PHONY: run demo-totp test lint format worker beat install install-dev messages migrate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(LOCAL) $(BIN)/python manage.py migrate --noinput

run: migrate
	$(LOCAL) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Keep in Pact is starting on http://$(HOST)/"
	@echo "  Demo accounts (password: keep-in-pact-demo):"
	@echo "    facilitator@example.org  facilitator, admin access"
	@echo "    editor@example.org       guide editor, admin access"
	@echo "    member@example.org       member, Porto (Portugal)"
	@echo "  The facilitator and the editor then need an authenticator code:"
	@echo "    make demo-totp   (in another terminal) prints the current one"
	@echo "    or add otpauth://totp/Keep%20in%20Pact:demo?secret=KEEPINPACTDEMOTOTPSECRET&issuer=Keep%20in%20Pact"
	@echo "    to an authenticator app."
	@echo "  Emails are printed in this terminal."
	@echo ""
	$(LOCAL) $(BIN)/python manage.py runserver $(HOST)

test: install-dev
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix e2e/axe --no-audit --no-fund --silent; \
		else echo "npm not found: the accessibility test will fail (install node and npm)"; fi
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
		$(BIN)/python scripts/check_services.py || \
		{ echo "Start PostgreSQL and Redis, or set DATABASE_URL and REDIS_URL to reach them."; exit 1; }
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev
	$(LOCAL) $(BIN)/python manage.py makemessages -l fr -l pt -l es --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=node_modules --ignore='e2e/axe/*'
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=.venv

# The demo facilitator's and editor's current authenticator code (their secret is fixed and public).
demo-totp: install
	@$(LOCAL) $(BIN)/python manage.py demo_totp

worker: install
	$(LOCAL) $(BIN)/celery -A config worker --queues=celery,reminders --loglevel=INFO

beat: install
	$(LOCAL) $(BIN)/celery -A config beat --loglevel=INFO
