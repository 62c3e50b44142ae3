# Image for the workers, beat and flower of docker-compose.yml.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY pipeline ./pipeline
COPY workers ./workers
COPY beat_schedule.py ./
RUN uv sync --frozen --no-dev && useradd --create-home pipeline
ENV PATH="/app/.venv/bin:$PATH"
USER pipeline
