# PlanGraph API/CLI image. Used by docker-compose.yml (api service, Neo4j store).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PLANGRAPH_HOME=/data/plangraph

WORKDIR /app
COPY pyproject.toml README.md* ./
COPY graph ./graph
COPY loaders ./loaders
COPY api ./api
COPY queries ./queries
COPY viz ./viz
RUN pip install . && useradd --create-home --uid 1000 plangraph && mkdir -p /data/plangraph \
    && chown -R plangraph /data/plangraph
COPY data ./data

USER plangraph
EXPOSE 8000
CMD ["plangraph", "--store", "neo4j", "serve", "--host", "0.0.0.0", "--port", "8000"]
