# RunningHub Bot — a small runtime image: Python slim, a virtual environment built in a
# separate stage (no compilers or pip caches in the final layer), a non-root user, and the
# SQLite ledger on the /data volume.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN /opt/venv/bin/pip install --no-compile .

FROM python:3.11-slim
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/bot bot \
    && mkdir /data && chown 10001:10001 /data
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    DATABASE_PATH=/data/bot.sqlite3
USER 10001:10001
WORKDIR /home/bot
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["runninghub-bot", "healthcheck"]
ENTRYPOINT ["runninghub-bot"]
CMD ["run"]
