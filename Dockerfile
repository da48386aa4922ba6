# psif-bot's image: `docker compose up` runs it (compose.yaml); on its own it is
# `psif-bot serve` on $PORT (3000), and any other command is given as arguments
# (`psif-bot worker`, `psif-bot scheduler`, `psif-bot migrate`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000

WORKDIR /app

# The lock file first, so that the dependencies' layer is rebuilt only when it changes.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY storage ./storage
RUN pip install --no-deps .

# Never root. /secrets holds the generated respondent secret (compose.yaml's volume takes
# this directory's owner when first made).
RUN useradd --create-home --uid 10001 psif \
    && mkdir /secrets \
    && chown psif /secrets \
    && chmod 700 /secrets
USER psif

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"]

CMD ["psif-bot", "serve"]
