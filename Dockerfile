# devboard image: gunicorn serving the app, static files collected at build.
#   docker build -t devboard .     (docker-compose.yml builds it for you)

# Build stage: dependencies from the hashed lock file into a virtualenv.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.lock /tmp/requirements.lock
RUN /venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements.lock

# Runtime stage: the virtualenv and the source, owned by root and run by an unprivileged user.
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# xmlsec1 signs and checks SAML messages (institutional sign-in through Shibboleth, ADFS and the like).
RUN apt-get update \
    && apt-get install -y --no-install-recommends xmlsec1=1.2.* \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 devboard \
    && useradd --system --uid 10001 --gid devboard --no-create-home --home-dir /nonexistent devboard
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
# Collecting static files needs settings that load, not real ones: nothing here is kept.
RUN DEBUG=false SECRET_KEY=collectstatic-at-build-time-only EMAIL_BACKEND=console \
    python manage.py collectstatic --noinput --verbosity 0
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
